; Route handlers: the exported HTTP-method functions of a route file, in every shape Next.js
; accepts. The route model resolves each capture to the function that runs.

; export async function GET(request: NextRequest) { ... }
(export_statement
  declaration: (function_declaration
    name: (identifier) @handler.name) @handler.function
  (#any-of? @handler.name "GET" "HEAD" "POST" "PUT" "PATCH" "DELETE" "OPTIONS"))

; export const POST = async (req) => { ... }
; export const GET = withErrors(async (req) => { ... })
(export_statement
  declaration: (lexical_declaration
    (variable_declarator
      name: (identifier) @handler.name
      value: (_) @handler.value))
  (#any-of? @handler.name "GET" "HEAD" "POST" "PUT" "PATCH" "DELETE" "OPTIONS"))

; export { handler as GET }
(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @handler.local
      alias: (identifier) @handler.name))
  (#any-of? @handler.name "GET" "HEAD" "POST" "PUT" "PATCH" "DELETE" "OPTIONS"))

; async function GET() { ... }  export { GET }
(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @handler.local @handler.name
      !alias))
  (#any-of? @handler.name "GET" "HEAD" "POST" "PUT" "PATCH" "DELETE" "OPTIONS"))

; Module-level functions, to resolve `export { handler as GET }` and wrapped identifiers.
; async function handler(req) { ... }
(program
  (function_declaration
    name: (identifier) @function.name) @function)

; const handler = async (req) => { ... }
(program
  (lexical_declaration
    (variable_declarator
      name: (identifier) @function.name
      value: [(arrow_function) (function_expression) (call_expression)] @function)))
