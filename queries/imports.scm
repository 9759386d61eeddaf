; Top-level imports and directives of a route file. The route model reads the import clause
; (default, named, namespace, `import type`) from the captured statement.

; import { getServerSession } from "next-auth"
; import NextAuth, { type Session } from 'next-auth'
(program
  (import_statement
    source: (string) @import.source) @import)

; 'use server'   (a directive: a string statement at the top of the file)
(program
  (expression_statement
    (string) @_directive) @directive)
