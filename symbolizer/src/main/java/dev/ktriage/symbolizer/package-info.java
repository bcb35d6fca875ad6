/**
 * Kernel stack-frame symbolization: the public API of the symbolizer module.
 *
 * <pre>{@code
 * SymbolizerOptions opts = SymbolizerOptions.defaults()
 *     .withModulesDirectory(Path.of("/usr/lib/debug/lib/modules/6.1.0-47-cloud-amd64"))
 *     .withCacheDirectory(SymbolizerOptions.defaultCacheDirectory())   // or .withoutCache()
 *     .withDiagnostics(sink);
 * try (Symbolizer s = Symbolizer.open(vmlinux, opts)) {             // IOException, ElfFormatException
 *   Optional<String> buildId = s.buildId();                          // compare with the log's build id
 *   List<Resolution> rs = s.resolveAll(frames);                      // a whole trace: slide inferred
 *   Resolution r = s.resolve(new FrameQuery("ext4_fill_super", 0x1f3e, OptionalLong.of(0x25a0),
 *       Optional.of("ext4"), OptionalLong.empty(), true));           // true: call-trace frame (pc - 1)
 *   List<SourceFrame> fs = s.frames(0xffffffff81234567L, false);     // link-time address, exact pc
 *   Resolution raw = s.resolveAddress(rawAddress, s.inferSlide(frames).orElse(0), true);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.ktriage.symbolizer.FrameQuery#lookup()}: {@code RETURN_ADDRESS} for call-trace
 *       lines, link registers and KCSAN's frames (the call, {@code pc - 1}, is looked up, and
 *       {@code off == size} is accepted), {@code EXACT} for the faulting frame ({@code RIP:},
 *       {@code pc :}, {@code PC is at}), {@code EXACT_ELSE_CALL} for a KASAN header (its address,
 *       or the call before it where its address has no line, as after clang's report calls).
 *   <li>A line table row (or call site) of line 0 has neither line nor file: DWARF's "no source
 *       line".
 *   <li>Addresses are recomputed from the symbol table ({@code symbol + off}); a printed raw address
 *       is used only to choose among same-name, same-size duplicates once a KASLR slide is known
 *       ({@link dev.ktriage.symbolizer.Symbolizer#inferSlide}, applied by {@code resolveAll}).
 *   <li>Module frames resolve against {@code <module>.ko[.debug|.zst|.xz|.gz]} found under the modules
 *       directory ({@code -} and {@code _} equivalent), in that module's own section layout.
 *   <li>With a cache directory, the first open of a vmlinux builds a persistent index
 *       ({@code <build-id>.ktidx}); later opens map it and skip DWARF decoding. Without one, DWARF is
 *       decoded lazily per unit and {@code resolveAll} decodes the needed units in parallel.
 *   <li>Problems that do not stop the work (a damaged unit, a rebuilt index, a missing module) go to
 *       the {@link dev.ktriage.symbolizer.Diagnostics} sink; the library never prints.
 * </ul>
 *
 * <p>Layer: the top of the module. Packages below it: {@code elf} (bytes → ELF), {@code dwarf}
 * (bytes → DWARF), {@code symbolize} (symbols + DWARF → frames), {@code load} (files), {@code cache}
 * (persistent index). The value records here ({@code SourceFrame}, {@code FrameQuery},
 * {@code Resolution}, {@code Candidate}, {@code Diagnostics}) are leaves that the lower layers may
 * use. Independent of every other ktriage module: must not import {@code dev.ktriage.model}.
 */
package dev.ktriage.symbolizer;
