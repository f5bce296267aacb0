# Installs the service's config file and systemd unit; run by `cmake --install` and by cpack, when
# the install prefix is known. Installed to /usr (the package), they go where Debian looks:
# /etc/connecthub and /lib/systemd/system; under any other prefix they stay below it
# (<prefix>/etc/connecthub, <prefix>/lib/systemd/system, which systemd also reads for /usr/local).
# Set by packaging/CMakeLists.txt: CONNECTHUB_PACKAGING_SOURCE_DIR, CONNECTHUB_PACKAGING_BINARY_DIR,
# CONNECTHUB_BINDIR.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(sysconfdir /etc)
  set(unitdir /lib/systemd/system)
else()
  set(sysconfdir ${CMAKE_INSTALL_PREFIX}/etc)
  set(unitdir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(CONNECTHUB_SERVER ${CMAKE_INSTALL_PREFIX}/${CONNECTHUB_BINDIR}/connecthub-server)
set(CONNECTHUB_CONFIG ${sysconfdir}/connecthub/connecthub.conf)
configure_file(${CONNECTHUB_PACKAGING_SOURCE_DIR}/connecthub.service.in
               ${CONNECTHUB_PACKAGING_BINARY_DIR}/connecthub.service @ONLY)
file(INSTALL DESTINATION ${sysconfdir}/connecthub TYPE FILE
     FILES ${CONNECTHUB_PACKAGING_SOURCE_DIR}/connecthub.conf)
file(INSTALL DESTINATION ${unitdir} TYPE FILE
     FILES ${CONNECTHUB_PACKAGING_BINARY_DIR}/connecthub.service)
