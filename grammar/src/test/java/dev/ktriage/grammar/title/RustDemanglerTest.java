package dev.ktriage.grammar.title;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rust v0 symbols (RFC 2603, "Rust Symbol Mangling (v0)"), the spec's examples and kernel-shaped ones. */
class RustDemanglerTest {

  private static void demangles(String symbol, String path) {
    assertEquals(Optional.of(path), RustDemangler.demangle(symbol), symbol);
    assertEquals(path, Demangler.demangle(symbol), "Demangler hands _R symbols over");
  }

  @Test
  void theSpecsExamples() {
    demangles("_RNvNtCs1234_7mycrate3foo3bar", "mycrate::foo::bar");
    // an inherent method, its self type a back-reference to the module path, an instantiating crate after it
    demangles("_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3newCs15kBYyAo9fc_7mycrate", "<std::path::PathBuf>::new");
    demangles("_RINvNtC3std3mem8align_ofdE", "std::mem::align_of::<f64>");
  }

  @Test
  void implsAsTheKernelsRustCodeHasThem() {
    demangles("_RNvMNtCs1a2b3c_6kernel4syncNtB2_5Mutex4lock", "<kernel::sync::Mutex>::lock");
    // crate hashes as rustc prints them: 64 bits, eleven base-62 digits (syzkaller's record 748)
    demangles("_RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref",
        "<rust_binder::process::Process>::update_ref");
    demangles("_RNvNtNtCs9jEwPDbx20M_4core9panicking11panic_const24panic_const_sub_overflow",
        "core::panicking::panic_const::panic_const_sub_overflow");
    demangles("_RNvXCs9x_4nullNtB2_9NullBlockNtCs1a2b3c_6kernel6Module4init",
        "<null::NullBlock as kernel::Module>::init");
    demangles("_RNvYNtCs9x_4null9NullBlockNtCs1a2b3c_6kernel6Module4init",
        "<null::NullBlock as kernel::Module>::init");
  }

  @Test
  void closuresTypesAndGenericArguments() {
    demangles("_RNCNvCsabc_5hello4main0", "hello::main::{closure#0}");
    demangles("_RNCNvCsabc_5hello4mains_0", "hello::main::{closure#1}");
    demangles("_RINvCs1_4test3fooRShTmbEE", "test::foo::<&[u8], (u32, bool)>");
    demangles("_RINvCs1_4test3fooQPjOAhj10_TlEE", "test::foo::<&mut *const usize, *mut [u8; 16], (i32,)>");
  }

  @Test
  void whatItDoesNotReadIsLeftAsItIs() {
    for (String s : new String[] {"_RNvC", "_RNvCs1_7mycrat", "_R0NvC3foo3bar", "_RNvC7mycrateu3abc", "_RB0_",
        "_RINvCs1_4test3fooKpEE", "rust_begin_unwind"}) {
      assertEquals(Optional.empty(), RustDemangler.demangle(s), s);
      assertEquals(s, Demangler.demangle(s), s);
    }
  }
}
