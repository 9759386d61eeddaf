; The bindings a backend URL can be built through: a local variable initialised from the base
; (`let url = `${BRAIN_API_URL}/x``, `const u = new URL(path, BRAIN_API_URL)`) and later
; assignments to it (`url += `?${params}``, `url = base + path`).

; const url = `${BRAIN_API_URL}/api/x`
(variable_declarator
  name: (identifier) @binding.name
  value: (_) @binding.value) @binding

; url += `?${params.toString()}`
(augmented_assignment_expression
  left: (identifier) @binding.name
  right: (_) @binding.value) @binding

; url = `${BRAIN_API_URL}/api/x`
(assignment_expression
  left: (identifier) @binding.name
  right: (_) @binding.value) @binding
