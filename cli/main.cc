// apkwarden command-line entry point: dispatches to the subcommands.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("apkwarden %s\n", APKWARDEN_VERSION);
    return 0;
  }
  std::fprintf(stderr, "usage: apkwarden --version\n");
  return 2;
}
