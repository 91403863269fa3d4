# Installing irqcheck like a kernel tool (included by CMakeLists.txt):
# the binary in bin/, the rule packs and rule pages in
# share/irqcheck/rules, the semantic patches in share/irqcheck/cocci, the
# man page irqcheck(1) written from the binary's own --help texts, and a
# Debian package (cpack -G DEB) that declares what it needs to run.
include(GNUInstallDirs)

# Where the binary finds its data (analyzer/datadir.c): share/irqcheck as
# seen from bin/, so an installed tree can be moved, and the source tree,
# for the binary in its build directory.
file(RELATIVE_PATH IRQCHECK_DATA_FROM_BIN ${CMAKE_INSTALL_FULL_BINDIR}
	${CMAKE_INSTALL_FULL_DATADIR}/irqcheck)
set_property(SOURCE analyzer/datadir.c APPEND PROPERTY COMPILE_DEFINITIONS
	IRQCHECK_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
	IRQCHECK_DATA_FROM_BIN="${IRQCHECK_DATA_FROM_BIN}")

# irqcheck(1): scripts/make-manpage runs the binary (leak checking off, for
# an ASan build) and fails the build if a command has no --help.
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/irqcheck.1
	COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
		${CMAKE_SOURCE_DIR}/scripts/make-manpage $<TARGET_FILE:irqcheck>
		${CMAKE_BINARY_DIR}/irqcheck.1
	DEPENDS irqcheck ${CMAKE_SOURCE_DIR}/scripts/make-manpage
	COMMENT "Writing the man page irqcheck.1 from the --help texts")
add_custom_target(manpage ALL DEPENDS ${CMAKE_BINARY_DIR}/irqcheck.1)

install(TARGETS irqcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/irqcheck/rules
	FILES_MATCHING PATTERN "*.rules" PATTERN "*.md")
install(DIRECTORY cocci/ DESTINATION ${CMAKE_INSTALL_DATADIR}/irqcheck/cocci
	FILES_MATCHING PATTERN "*.cocci")
install(FILES ${CMAKE_BINARY_DIR}/irqcheck.1
	DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The Debian package. Its library dependencies (libclang of the LLVM the
# build linked, SQLite, jansson, libcrypto, libc) come from
# dpkg-shlibdeps on the binary, so they follow whatever the build used;
# spatch for `irqcheck fix` is named. clang's builtin headers (stddef.h
# and the like, which a scan of files outside a kernel tree includes) are
# recommended, from the package that owns them for this LLVM.
set(CPACK_PACKAGE_NAME irqcheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"static checker for interrupt-vector ownership bugs in Linux PCI drivers")
set(CPACK_PACKAGE_DESCRIPTION "irqcheck follows each PCI device and its \
interrupt vectors along every path of every function of a driver and \
reports vectors released twice because devres also releases them, drivers \
relying on the hybrid devres release, leaks on error paths, double \
releases and mismatched MSI/MSI-X releases, each with the path that \
proves it. It can write validated Coccinelle patches for them.")
set(CPACK_PACKAGE_CONTACT "irqcheck maintainers <irqcheck@localhost>"
	CACHE STRING "Maintainer field of the Debian package")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
	message(STATUS "dpkg-shlibdeps not found (Debian package dpkg-dev): "
		"a .deb made by cpack will not name its libraries")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS coccinelle)
execute_process(COMMAND ${LLVM_CONFIG} --version
	OUTPUT_VARIABLE LLVM_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE)
file(GLOB CLANG_BUILTIN_STDDEF
	${LLVM_LIB_DIR}/clang/${LLVM_VERSION}/include/stddef.h
	${LLVM_LIB_DIR}/clang/*/include/stddef.h)
find_program(DPKG_QUERY dpkg-query)
if(CLANG_BUILTIN_STDDEF AND DPKG_QUERY)
	list(GET CLANG_BUILTIN_STDDEF 0 stddef)
	execute_process(COMMAND ${DPKG_QUERY} -S ${stddef}
		OUTPUT_VARIABLE owner ERROR_QUIET
		OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
	if(rc EQUAL 0 AND owner MATCHES "^([^:,]+)")
		set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ${CMAKE_MATCH_1})
	endif()
endif()
include(CPack)
