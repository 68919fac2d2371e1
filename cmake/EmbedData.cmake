# apkwarden_embed(TARGET NAME FILES f1 f2 ...)
# Compiles data files (signatures, tables) into the binary as a lookup table, so the
# executable is self-contained. The files stay plain data in the source tree; a change to
# one of them re-runs the embedding.
function(apkwarden_embed target)
  cmake_parse_arguments(E "" "NAME" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${E_NAME}_embedded.cc")
  # A CMake list would be split into separate shell words by add_custom_command; pass the
  # files joined by '|' and split them again in the script.
  list(SORT E_FILES)
  string(REPLACE ";" "|" files_arg "${E_FILES}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${E_NAME} -DBASE=${CMAKE_CURRENT_SOURCE_DIR}
            "-DFILES=${files_arg}" -P "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
    DEPENDS ${E_FILES} "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
    COMMENT "Embedding ${E_NAME} data files"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
