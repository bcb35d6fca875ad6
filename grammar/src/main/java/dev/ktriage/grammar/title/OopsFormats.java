package dev.ktriage.grammar.title;

import dev.ktriage.model.Banner;
import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanHeaderForm;
import dev.ktriage.model.KfenceDetails;
import dev.ktriage.model.KfenceKind;
import dev.ktriage.model.KmsanDetails;
import dev.ktriage.model.KmsanKind;
import dev.ktriage.model.Report;
import dev.ktriage.model.Tool;
import dev.ktriage.model.UbsanDetails;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How each report family and form is titled, one row each (syzkaller's {@code oopsFormat} table in
 * pkg/report/linux.go, with named fields and a reason per row). {@link Titler} takes the first row
 * that applies to a report; the rows read only the report's structure (its banner, bug type, header
 * form, access), never its header text.
 *
 * <p>Title templates name their parts: {@code {kind}} the bug type (the 2015 and 4.0-4.3 banners'
 * words joined by dashes), {@code {first-kind}} its first word, {@code {op}} the access's
 * {@code Read}/{@code Write}, {@code {header}} the header after its banner, {@code {frame}} the guilty
 * frame, {@code {origin}} the first frame of KMSAN's origin stack that the row's skips keep. Every title
 * then passes through {@link TitleNormalizer}.
 */
public final class OopsFormats {
  private OopsFormats() {} // no instance

  /** Where a format's guilty frame comes from. */
  public enum Frames {
    /** The title names no frame. */
    NONE,
    /** The function the header names, then the access stack's reliable frames, skipping plumbing. */
    HEADER_THEN_ACCESS_STACK,
    /** The first function the header names, as printed (KCSAN: the kernel skipped its own frames). */
    HEADER_FUNCTION,
    /**
     * The access stack's reliable frames, skipping plumbing; the header's function is not a candidate
     * (KMSAN and KFENCE print the stack right under the header and syzkaller reads it from there).
     */
    ACCESS_STACK,
    /** The format's {@link FrameRecipe} over the report's lines (the oops families). */
    RECIPE
  }

  /**
   * One way of titling reports.
   *
   * @param name a short name for messages and tests
   * @param applies which reports it titles
   * @param title the title template
   * @param alternatives the alternative title templates (syzbot's {@code ALT:})
   * @param frames where the guilty frame comes from
   * @param skips plumbing this format skips besides {@link FrameSkipRules#COMMON}
   * @param corrupted when the format itself says the report cannot be trusted, why
   * @param corruptedDetail the human explanation that goes with {@code corrupted}
   * @param why the reason for the row: the kernel print routine or the syzkaller rule it follows
   * @param recipe where a {@link Frames#RECIPE} format finds its frame
   * @param stackExpected whether the report must carry a stack (syzkaller checks such formats'
   *     reports for a {@code Call Trace} with frames); false for formats titled from one line
   */
  public record OopsFormat(String name, Predicate<Report> applies, String title, List<String> alternatives,
      Frames frames, List<SkipRule> skips, Optional<CorruptionReason> corrupted, String corruptedDetail,
      String why, Optional<FrameRecipe> recipe, boolean stackExpected) {

    /** A format that names its frame without a recipe (the sanitizer families). */
    public OopsFormat(String name, Predicate<Report> applies, String title, List<String> alternatives,
        Frames frames, List<SkipRule> skips, Optional<CorruptionReason> corrupted, String corruptedDetail,
        String why) {
      this(name, applies, title, alternatives, frames, skips, corrupted, corruptedDetail, why, Optional.empty(),
          false);
    }
  }

  // kasan_report_invalid_free() prints these kinds; syzkaller titles them all as one.
  private static final Set<String> FREE_KINDS = Set.of("double-free or invalid-free", "double-free", "invalid-free");

  /** The rows, in the order they are tried. */
  public static final List<OopsFormat> FORMATS = concat(List.of(
      new OopsFormat("kasan-invalid-free",
          r -> kasan(r) && form(r) == KasanHeaderForm.LOCATION && FREE_KINDS.contains(r.bugType()),
          "KASAN: invalid-free in {frame}", List.of("invalid-free in {frame}"),
          Frames.HEADER_THEN_ACCESS_STACK, FrameSkipRules.KASAN_FREE, Optional.empty(), "",
          "mm/kasan/report.c kasan_report_invalid_free(): double and invalid frees are one bug kind to "
              + "syzkaller, blamed on the caller of kfree(); no access line is printed"),
      new OopsFormat("kasan-access",
          r -> kasan(r) && form(r) == KasanHeaderForm.LOCATION && r.access().isPresent()
              && isWord(Titler.titleKind(r)),
          "KASAN: {kind} {op} in {frame}", List.of("bad-access in {frame}"),
          Frames.HEADER_THEN_ACCESS_STACK, FrameSkipRules.KASAN_ACCESS, Optional.empty(), "",
          "mm/kasan/report.c print_error_description(): the bad access's kind, direction and place; "
              + "syzkaller's bad-access alternative merges it with the GPF and KFENCE manifestations"),
      new OopsFormat("kasan-on-address",
          r -> kasan(r) && form(r) == KasanHeaderForm.ON_ADDRESS && r.access().isPresent(),
          "KASAN: {first-kind} {op}", List.of(), Frames.NONE, List.of(), Optional.empty(), "",
          "the 2015 and 4.x 'BUG: KASAN: <kind> on address X' names no function: syzkaller's old format"),
      new OopsFormat("kasan-no-access",
          r -> kasan(r) && form(r) == KasanHeaderForm.LOCATION && r.access().isEmpty(),
          "KASAN: {header}", List.of(), Frames.NONE, List.of(), Optional.of(CorruptionReason.NO_ACCESS_LINE),
          "no Read/Write line after the header",
          "an access bug names its access on the next line; without it the report is cut or merged"),
      new OopsFormat("kasan-other",
          OopsFormats::kasan,
          "KASAN: {header}", List.of(), Frames.NONE, List.of(), Optional.of(CorruptionReason.UNRECOGNIZED_HEADER),
          "header has no bug type and function",
          "syzkaller titles any other KASAN header with its text and calls it corrupted"),
      new OopsFormat("kcsan",
          r -> r.tool() == Tool.KCSAN,
          "KCSAN: {header}", List.of(), Frames.HEADER_FUNCTION, List.of(), Optional.empty(), "",
          "kernel/kcsan/report.c prints a stable title itself: it skips its own frames and orders the "
              + "two functions (sym_strcmp); syzkaller takes the header as it is"),
      new OopsFormat("kmsan-usb-infoleak",
          r -> kmsan(r) == KmsanKind.KERNEL_USB_INFOLEAK && located(r),
          "KMSAN: kernel-usb-infoleak in {frame}", List.of("KMSAN origin in {origin}"),
          Frames.ACCESS_STACK, FrameSkipRules.KMSAN_USB, Optional.empty(), "",
          "mm/kmsan/report.c kmsan_report(): uninitialized bytes handed to a USB device; the driver that "
              + "submitted them is to blame, and syzkaller merges such leaks by the function that made the buffer"),
      new OopsFormat("kmsan-infoleak",
          r -> kmsan(r) == KmsanKind.KERNEL_INFOLEAK && located(r),
          "KMSAN: kernel-infoleak in {frame}", List.of("bad-access in {frame}"),
          Frames.ACCESS_STACK, FrameSkipRules.KMSAN_INFOLEAK, Optional.empty(), "",
          "mm/kmsan/report.c kmsan_report(): uninitialized bytes copied to user space, blamed on the "
              + "caller of the copy"),
      new OopsFormat("kmsan-uninit",
          r -> kmsan(r) != null && located(r) && isWord(r.bugType()),
          "KMSAN: {kind} in {frame}", List.of("bad-access in {frame}"),
          Frames.ACCESS_STACK, FrameSkipRules.KMSAN_UNINIT, Optional.empty(), "",
          "mm/kmsan/report.c kmsan_report(): an uninitialized value was used; the stack under the header "
              + "is the use's (the origin's 'KMSAN origin' alternative was dropped by syzkaller in 2023: it glued "
              + "unrelated bugs together)"),
      new OopsFormat("kmsan-other",
          r -> kmsan(r) != null,
          "KMSAN: {header}", List.of(), Frames.NONE, List.of(), Optional.of(CorruptionReason.UNRECOGNIZED_HEADER),
          "header has no bug type and function",
          "a KMSAN header without a bug type and location is cut or merged: titled with its text"),
      new OopsFormat("kfence-invalid-free",
          r -> kfence(r) == KfenceKind.INVALID_FREE && located(r),
          "KFENCE: invalid free in {frame}", List.of("invalid-free in {frame}"),
          Frames.ACCESS_STACK, List.of(), Optional.empty(), "",
          "mm/kfence/report.c KFENCE_ERROR_INVALID_FREE: a free of a pointer KFENCE did not hand out or a "
              + "double free; syzkaller's invalid-free alternative merges it with KASAN's"),
      new OopsFormat("kfence-memory-corruption",
          r -> kfence(r) == KfenceKind.MEMORY_CORRUPTION && located(r),
          "KFENCE: memory corruption in {frame}", List.of(),
          Frames.ACCESS_STACK, List.of(), Optional.empty(), "",
          "mm/kfence/report.c KFENCE_ERROR_CORRUPTION: canary bytes changed, found when the object is freed; "
              + "no access to merge with, so no alternative"),
      new OopsFormat("kfence-access",
          r -> kfence(r) != null && kfence(r) != KfenceKind.OTHER && located(r),
          "KFENCE: {kind} in {frame}", List.of("bad-access in {frame}"),
          Frames.ACCESS_STACK, List.of(), Optional.empty(), "",
          "mm/kfence/report.c KFENCE_ERROR_OOB, _UAF, _INVALID: the bad access's kind and direction; "
              + "syzkaller's bad-access alternative merges it with KASAN and GPF manifestations"),
      new OopsFormat("kfence-other",
          r -> kfence(r) != null,
          "KFENCE: {header}", List.of(), Frames.NONE, List.of(), Optional.of(CorruptionReason.UNRECOGNIZED_HEADER),
          "header has no known error and function",
          "a KFENCE header without a known error and location is cut or merged: titled with its text"),
      new OopsFormat("ubsan-undefined-behaviour",
          r -> ubsanLocated(r) && r.bugType().equals("Undefined behaviour"),
          "UBSAN: undefined-behaviour in {frame}", List.of(),
          Frames.ACCESS_STACK, FrameSkipRules.UBSAN, Optional.empty(), "",
          "lib/ubsan.c before 5.11 printed every check as 'Undefined behaviour in file:line:col' and named "
              + "the kind on the next line; syzkaller spells it with a dash and blames the call trace"),
      new OopsFormat("ubsan-array-index",
          r -> ubsanLocated(r) && r.bugType().equals("array-index-out-of-bounds"),
          "UBSAN: array-index-out-of-bounds in {frame}", List.of("bad-access in {frame}"),
          Frames.ACCESS_STACK, FrameSkipRules.UBSAN, Optional.empty(), "",
          "lib/ubsan.c __ubsan_handle_out_of_bounds(): an out-of-bounds index is a bad access, merged by "
              + "syzkaller's bad-access alternative with KASAN's and KFENCE's manifestations"),
      new OopsFormat("ubsan",
          r -> ubsanLocated(r) && isWord(r.bugType()),
          "UBSAN: {kind} in {frame}", List.of(),
          Frames.ACCESS_STACK, FrameSkipRules.UBSAN, Optional.empty(), "",
          "lib/ubsan.c ubsan_prologue(): the check's kind (shift-out-of-bounds, signed-integer-overflow, "
              + "invalid-load, ...); the source position after 'in' is the compiler's, the title blames the "
              + "call trace"),
      new OopsFormat("ubsan-other",
          r -> r.details() instanceof UbsanDetails,
          "UBSAN: {header}", List.of(), Frames.NONE, List.of(), Optional.of(CorruptionReason.UNRECOGNIZED_HEADER),
          "header has no check kind and source position",
          "a UBSAN header without a kind and position is cut or merged: titled with its text")),
      KernelOopsFormats.FORMATS);

  private static List<OopsFormat> concat(List<OopsFormat> a, List<OopsFormat> b) {
    List<OopsFormat> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  private static boolean kasan(Report r) {
    return r.tool() == Tool.KASAN;
  }

  // The KMSAN kind of a KMSAN report, null for any other report.
  private static KmsanKind kmsan(Report r) {
    return r.details() instanceof KmsanDetails k ? k.kind() : null;
  }

  // The KFENCE error of a KFENCE report, null for any other report.
  private static KfenceKind kfence(Report r) {
    return r.details() instanceof KfenceDetails k ? k.kind() : null;
  }

  // Whether a UBSAN header named the check's source position ("... in file.c:12:3").
  private static boolean ubsanLocated(Report r) {
    return r.details() instanceof UbsanDetails u && u.file().isPresent();
  }

  // Whether the header named where the bug was seen ("... in f+0x1/0x2").
  private static boolean located(Report r) {
    return switch (r.details()) {
      case KmsanDetails k -> k.useLocation().isPresent();
      case KfenceDetails k -> k.faultLocation().isPresent();
      default -> false;
    };
  }

  private static KasanHeaderForm form(Report r) {
    return r.details() instanceof KasanDetails k ? k.headerForm() : KasanHeaderForm.UNRECOGNIZED;
  }

  /** Whether the banner spelled bug kinds in words ({@code out of bounds access}, {@code use after free}). */
  static boolean wordyKinds(Banner b) {
    return b == Banner.ADDRESS_SANITIZER || b == Banner.KASAN_4_0;
  }

  private static boolean isWord(String kind) {
    if (kind.isEmpty()) {
      return false;
    }
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
