; Every call of the global fetch; the route model decides which ones reach the backend.

; fetch(url, { headers })
(call_expression
  function: (identifier) @_fetch
  arguments: (arguments) @fetch.arguments
  (#eq? @_fetch "fetch")) @fetch

; globalThis.fetch(url)
(call_expression
  function: (member_expression
    object: (identifier) @_global
    property: (property_identifier) @_fetch)
  arguments: (arguments) @fetch.arguments
  (#any-of? @_global "globalThis" "global" "window" "self")
  (#eq? @_fetch "fetch")) @fetch
