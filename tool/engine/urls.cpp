#include "engine/urls.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "engine/syntax.h"

namespace routeauth::engine {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(p[i]))) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The dotted-quad octets of `host`, or nullopt.
std::optional<std::array<int, 4>> ipv4(std::string_view host) {
  std::array<int, 4> out{};
  size_t at = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (at >= host.size() || host[at] != '.') return std::nullopt;
      ++at;
    }
    int v = -1;
    const auto [end, ec] = std::from_chars(host.data() + at, host.data() + host.size(), v);
    if (ec != std::errc() || v < 0 || v > 255 || end == host.data() + at) return std::nullopt;
    at = static_cast<size_t>(end - host.data());
    out[static_cast<size_t>(i)] = v;
  }
  if (at != host.size()) return std::nullopt;
  return out;
}

bool local_host(const std::string& host) {
  if (host == "localhost" || host == "[::1]" || host == "host.docker.internal" || host == "0.0.0.0") return true;
  if (host.ends_with(".localhost") || host.ends_with(".local") || host.ends_with(".internal")) return true;
  if (const auto ip = ipv4(host)) {
    const auto& o = *ip;
    return o[0] == 127 || o[0] == 10 || (o[0] == 192 && o[1] == 168) || (o[0] == 172 && o[1] >= 16 && o[1] <= 31);
  }
  // A single label (no dot) of host-name characters: a compose service or an /etc/hosts name.
  return !host.empty() && host.find('.') == std::string::npos &&
         std::all_of(host.begin(), host.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

}  // namespace

std::optional<std::string_view> url_literal_head(const SourceFile& file, TSNode node) {
  for (int guard = 0; guard < 64; ++guard) {
    const std::string_view k = type(node);
    if (k == "parenthesized_expression") {
      node = ts_node_named_child(node, 0);
    } else if (k == "binary_expression") {
      node = field(node, "left");
    } else if (k == "string" || k == "template_string") {
      const uint32_t begin = ts_node_start_byte(node) + 1;
      uint32_t end = ts_node_end_byte(node) - 1;
      if (k == "template_string") {
        const TSNode sub = find_named_child(node, [](TSNode c) { return is(c, "template_substitution") ? c : TSNode{}; });
        if (!ts_node_is_null(sub)) end = ts_node_start_byte(sub);
      }
      if (end < begin) return std::nullopt;
      return file.slice(begin, end);
    } else {
      return std::nullopt;
    }
    if (ts_node_is_null(node)) return std::nullopt;
  }
  return std::nullopt;
}

bool absolute_url(std::string_view url) {
  return starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://") || url.starts_with("//");
}

bool url_has_prefix(std::string_view url, std::string_view prefix) {
  const size_t scheme = prefix.find("://");
  if (scheme == std::string_view::npos) return false;
  size_t origin = prefix.find('/', scheme + 3);
  if (origin == std::string_view::npos) origin = prefix.size();
  if (url.size() < prefix.size()) return false;
  if (!starts_with_nocase(url, prefix.substr(0, origin))) return false;
  if (url.substr(origin, prefix.size() - origin) != prefix.substr(origin)) return false;
  if (url.size() == prefix.size() || prefix.ends_with('/')) return true;
  const char next = url[prefix.size()];
  return next == '/' || next == '?' || next == '#';
}

std::optional<std::string> local_server_origin(std::string_view url) {
  size_t scheme_end = 0;
  if (starts_with_nocase(url, "http://")) {
    scheme_end = 7;
  } else if (starts_with_nocase(url, "https://")) {
    scheme_end = 8;
  } else {
    return std::nullopt;
  }
  const size_t end = url.find_first_of("/?#", scheme_end);
  const std::string_view authority = url.substr(scheme_end, end == std::string_view::npos ? url.npos : end - scheme_end);
  // The whole origin must be literal text: `http://localhost:` + `${port}` is not known.
  if (end == std::string_view::npos && (authority.empty() || authority.back() == ':')) return std::nullopt;
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::string_view port;
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    port = host.substr(close + 1);
    host = host.substr(0, close + 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon);
    host = host.substr(0, colon);
  }
  if (!port.empty()) {
    if (port.front() != ':' || port.size() == 1 ||
        !std::all_of(port.begin() + 1, port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return std::nullopt;
    }
  }
  const std::string h = lower(host);
  if (!local_host(h)) return std::nullopt;
  return lower(url.substr(0, scheme_end)) + h + std::string(port);
}

int origin_port(std::string_view origin) {
  const size_t scheme = origin.find("://");
  const size_t colon = origin.rfind(':');
  if (colon != std::string_view::npos && scheme != std::string_view::npos && colon > scheme + 2) {
    int v = 0;
    const auto [p, ec] = std::from_chars(origin.data() + colon + 1, origin.data() + origin.size(), v);
    if (ec == std::errc() && p == origin.data() + origin.size()) return v;
  }
  return starts_with_nocase(origin, "https://") ? 443 : 80;
}

}  // namespace routeauth::engine
