# Every third-party library comes from Debian 12 (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(libzip 1.7 CONFIG REQUIRED)           # needs zipcmp/zipmerge/ziptool (TOOLCHAIN G1)
find_package(tinyxml2 9 CONFIG REQUIRED)
find_package(nlohmann_json 3 CONFIG REQUIRED)     # Exodus tracker import (signatures/)
find_package(ZLIB REQUIRED)                         # raw inflate for entries libzip refuses (fake encryption)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)  # SHA-256 with CPU SHA extensions (analyzer/apk/sha256.h)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# SQLite, libpq and Capstone are opened with dlopen on first use (analyzer/system/shared_library.h):
# only their headers are needed at build time.
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)    # batch store (analyzer/batch)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)        # batch store on PostgreSQL 
pkg_check_modules(CAPSTONE REQUIRED IMPORTED_TARGET capstone>=4.0)  # native call arguments (analyzer/native)

find_path(LIEF_INCLUDE_DIR NAMES LIEF/LIEF.hpp REQUIRED)
find_library(LIEF_LIBRARY NAMES LIEF REQUIRED)
if(NOT TARGET LIEF::LIEF)
  add_library(LIEF::LIEF UNKNOWN IMPORTED)
  set_target_properties(LIEF::LIEF PROPERTIES
    IMPORTED_LOCATION "${LIEF_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIEF_INCLUDE_DIR}")
endif()

if(APKWARDEN_TESTS)
  find_package(doctest 2.4 CONFIG REQUIRED)
  include(doctest)
endif()
