// file: URIs, as editors name documents, and the paths routeauth works with.
#pragma once

#include <string>
#include <string_view>

namespace routeauth::lsp {

// The path a `file:` URI names, percent-decoded (`%5Bid%5D` is `[id]`); "" for any other scheme
// (an unsaved `untitled:` buffer, say) or a malformed escape.
[[nodiscard]] std::string path_of_uri(std::string_view uri);

}  // namespace routeauth::lsp
