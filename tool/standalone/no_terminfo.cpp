// The four terminfo functions LLVMSupport calls, for the self-contained binary (ROUTEAUTH_STATIC,
// README, Install), which links no libtinfo. LLVM calls them only to learn whether an output
// stream is a terminal that takes colours (llvm::sys::Process::FileDescriptorHasColors); routeauth
// never asks LLVM for colours, so each answers as ncurses does on a machine without a terminal
// database: no terminal, no capability. LLVM declares them itself with C linkage; so do we.
extern "C" {

// ncurses: ERR, and *errret = -1 when "the terminfo database could not be found".
int setupterm(const char* /*term*/, int /*fd*/, int* errret) {
  if (errret != nullptr) {
    *errret = -1;
  }
  return -1;
}

// There is never a current terminal to replace or delete.
void* set_curterm(void* /*terminal*/) { return nullptr; }
int del_curterm(void* /*terminal*/) { return -1; }

// -1: the capability is absent.
int tigetnum(const char* /*capability*/) { return -1; }
}
