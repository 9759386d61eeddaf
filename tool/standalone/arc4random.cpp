// std::random_device in the libstdc++ Debian 12 ships (GCC 12, built on glibc 2.36) draws from
// arc4random, which glibc has only since 2.36. The self-contained binary (ROUTEAUTH_STATIC,
// README, Install) links that libstdc++ in and is meant to run on glibc 2.35 (Ubuntu 22.04), so
// it is linked with -Wl,--wrap=arc4random, which sends those calls here: 32 random bits from the
// kernel through getrandom (glibc 2.25), as arc4random itself gets them.
#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" std::uint32_t __wrap_arc4random() {
  std::uint32_t value = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  std::size_t got = 0;
  while (got < sizeof value) {
    const ssize_t n = ::getrandom(bytes + got, sizeof value - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::abort();  // arc4random cannot fail either: it aborts when the kernel gives nothing
    }
    got += static_cast<std::size_t>(n);
  }
  return value;
}
