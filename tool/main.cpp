#include "cli/cli.h"

int main(int argc, char** argv) { return routeauth::cli::run(argc, argv); }
