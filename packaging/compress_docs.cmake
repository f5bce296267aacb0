# Run by CPack (CPACK_PRE_BUILD_SCRIPTS) on the staged package: Debian wants man pages and the
# changelog compressed with `gzip -9n` (maximal, no name or timestamp).
find_program(GZIP gzip REQUIRED)
file(GLOB_RECURSE docs LIST_DIRECTORIES false
     ${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/man/*
     ${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/doc/connecthub/changelog)
foreach(doc IN LISTS docs)
  if(NOT doc MATCHES "\\.gz$")
    execute_process(COMMAND ${GZIP} -9nf ${doc} COMMAND_ERROR_IS_FATAL ANY)
  endif()
endforeach()
