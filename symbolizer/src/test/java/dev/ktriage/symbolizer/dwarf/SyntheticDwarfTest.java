package dev.ktriage.symbolizer.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.symbolize.LiveDebugInfo;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hand-built DWARF 5 unit exercising the forms GCC does not emit for non-split DWARF (strx1,
 * addrx, rnglistx, data16, block1, implicit_const), every kind of range list entry and a DWARF 5
 * line program, in both byte orders.
 */
class SyntheticDwarfTest {
  private static final long BASE = 0x1000;

  /** The sections of the synthetic unit. */
  static DwarfSections build(ByteOrder order) {
    // .debug_str / .debug_str_offsets: strx 0 = "outer", strx 1 = "leaf.c"
    Bytes str = new Bytes(order).str("outer").str("leaf.c");
    Bytes strOffsets = new Bytes(order).u16(5).u16(0).u32(0).u32(6);
    byte[] strOffsetsSec = new Bytes(order).u32(strOffsets.size()).raw(strOffsets.bytes()).bytes();
    // .debug_addr: header, then addrx 0 = BASE, 1 = BASE + 0x40, 2 = BASE + 0x80
    Bytes addrBody = new Bytes(order).u16(5).u8(8).u8(0).u64(BASE).u64(BASE + 0x40).u64(BASE + 0x80);
    byte[] addr = new Bytes(order).u32(addrBody.size()).raw(addrBody.bytes()).bytes();
    // .debug_rnglists: header (12 bytes), offsets table with 1 entry, then lists.
    Bytes lists = new Bytes(order);
    // list 0 (rnglistx 0): offset_pair + startx_length + start_length, all inside the function
    int list0 = 4; // after the one-entry offsets table
    lists.u8(Dw.RLE_OFFSET_PAIR).uleb(0x10).uleb(0x18)
        .u8(Dw.RLE_STARTX_LENGTH).uleb(1).uleb(0x8)
        .u8(Dw.RLE_START_LENGTH).u64(BASE + 0x60).uleb(0x4)
        .u8(Dw.RLE_END_OF_LIST);
    int list1 = 4 + lists.size();
    // list 1 (sec_offset): base_addressx + offset_pair, start_end, startx_endx, base_address + pair
    lists.u8(Dw.RLE_BASE_ADDRESSX).uleb(0).u8(Dw.RLE_OFFSET_PAIR).uleb(0).uleb(0x30)
        .u8(Dw.RLE_START_END).u64(BASE + 0x30).u64(BASE + 0x40)
        .u8(Dw.RLE_STARTX_ENDX).uleb(1).uleb(2)
        .u8(Dw.RLE_BASE_ADDRESS).u64(BASE + 0x80).u8(Dw.RLE_OFFSET_PAIR).uleb(0).uleb(0x10)
        .u8(Dw.RLE_END_OF_LIST);
    Bytes rngBody = new Bytes(order).u16(5).u8(8).u8(0).u32(1).u32(list0).raw(lists.bytes());
    byte[] rnglists = new Bytes(order).u32(rngBody.size()).raw(rngBody.bytes()).bytes();
    int rnglistsBase = 12;
    // .debug_abbrev
    Bytes ab = new Bytes(order);
    ab.uleb(1).uleb(Dw.TAG_COMPILE_UNIT).u8(1)
        .uleb(Dw.AT_STR_OFFSETS_BASE).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_ADDR_BASE).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_RNGLISTS_BASE).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRX1)
        .uleb(Dw.AT_COMP_DIR).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDRX)
        .uleb(Dw.AT_RANGES).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_STMT_LIST).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(0x7777).uleb(Dw.FORM_DATA16) // an unknown attribute with a form to skip
        .uleb(0).uleb(0);
    ab.uleb(2).uleb(Dw.TAG_SUBPROGRAM).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_INLINE).uleb(Dw.FORM_IMPLICIT_CONST).sleb(3)
        .uleb(0).uleb(0);
    ab.uleb(3).uleb(Dw.TAG_SUBPROGRAM).u8(1)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRX1)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDRX)
        .uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_DATA4)
        .uleb(0x7778).uleb(Dw.FORM_BLOCK1)
        .uleb(0).uleb(0);
    ab.uleb(4).uleb(Dw.TAG_INLINED_SUBROUTINE).u8(1)
        .uleb(Dw.AT_ABSTRACT_ORIGIN).uleb(Dw.FORM_REF4)
        .uleb(Dw.AT_RANGES).uleb(Dw.FORM_RNGLISTX)
        .uleb(Dw.AT_CALL_FILE).uleb(Dw.FORM_DATA1)
        .uleb(Dw.AT_CALL_LINE).uleb(Dw.FORM_UDATA)
        .uleb(0).uleb(0);
    ab.uleb(5).uleb(Dw.TAG_LEXICAL_BLOCK).u8(1).uleb(0).uleb(0);
    ab.uleb(6).uleb(Dw.TAG_INLINED_SUBROUTINE).u8(0)
        .uleb(Dw.AT_ABSTRACT_ORIGIN).uleb(Dw.FORM_REF_UDATA)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDR)
        .uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_DATA1)
        .uleb(Dw.AT_CALL_FILE).uleb(Dw.FORM_DATA1)
        .uleb(Dw.AT_CALL_LINE).uleb(Dw.FORM_DATA2)
        .uleb(0).uleb(0);
    ab.uleb(0);
    // .debug_info: header is 12 bytes (v5, 32-bit); DIE offsets are unit-relative for ref4.
    Bytes dies = new Bytes(order);
    int hdr = 12;
    dies.uleb(1).u32(8).u32(8).u32(rnglistsBase).u8(1).str("/src").uleb(0).u32(rnglistsBase + list1).u32(0)
        .raw(new byte[16]);
    int originMid = hdr + dies.size();
    dies.uleb(2).str("mid");
    int originLeaf = hdr + dies.size();
    dies.uleb(2).str("leaf");
    dies.uleb(3).u8(0).uleb(0).u32(0x90).u8(2).u8(0xaa).u8(0xbb);
    dies.uleb(4).u32(originMid).uleb(0).u8(1).uleb(20);
    dies.uleb(5);
    dies.uleb(6).uleb(originLeaf).u64(BASE + 0x12).u8(4).u8(1).u16(30);
    dies.u8(0); // end of lexical block
    dies.u8(0); // end of inlined mid
    dies.u8(0); // end of outer
    dies.u8(0); // end of unit
    Bytes info = new Bytes(order).u16(5).u8(Dw.UT_COMPILE).u8(8).u32(0).raw(dies.bytes());
    byte[] infoSec = info.withLength32();
    // .debug_line v5: one directory ("/src"), files 0 = leaf.c, 1 = leaf.c, 2 = hdr.h
    Bytes lh = new Bytes(order);
    lh.u8(1).u8(1).u8(1).u8(-5 & 0xff).u8(14).u8(13);
    lh.raw(new byte[] {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1});
    lh.u8(1).uleb(Dw.LNCT_PATH).uleb(Dw.FORM_STRING).uleb(1).str("/src");
    lh.u8(2).uleb(Dw.LNCT_PATH).uleb(Dw.FORM_STRING).uleb(Dw.LNCT_DIRECTORY_INDEX).uleb(Dw.FORM_UDATA);
    lh.uleb(3).str("leaf.c").uleb(0).str("leaf.c").uleb(0).str("hdr.h").uleb(0);
    Bytes prog = new Bytes(order);
    prog.u8(0).uleb(9).u8(Dw.LNE_SET_ADDRESS).u64(BASE);          // file 1 (leaf.c), line 1
    prog.u8(Dw.LNS_ADVANCE_LINE).sleb(9).u8(Dw.LNS_COPY);          // 0x1000 leaf.c:10
    prog.u8(Dw.LNS_SET_FILE).uleb(2).u8(Dw.LNS_ADVANCE_PC).uleb(0x12).u8(Dw.LNS_COPY); // 0x1012 hdr.h:10
    prog.u8(Dw.LNS_SET_FILE).uleb(1).u8(13 + (0x04 * 14) + (2 + 5)); // special: +4 addr, +2 line -> 0x1016 leaf.c:12
    prog.u8(Dw.LNS_CONST_ADD_PC).u8(Dw.LNS_COPY);                  // +17 -> 0x1027 leaf.c:12 (merged)
    prog.u8(Dw.LNS_ADVANCE_PC).uleb(0x90 - 0x27).u8(0).uleb(1).u8(Dw.LNE_END_SEQUENCE);
    byte[] progBytes = prog.bytes();
    byte[] lhBytes = lh.bytes();
    Bytes line = new Bytes(order).u16(5).u8(8).u8(0).u32(lhBytes.length).raw(lhBytes).raw(progBytes);
    byte[] lineSec = line.withLength32();
    return new DwarfSections(order, ByteBuffer.wrap(infoSec), ab.buffer(), str.buffer(), null,
        ByteBuffer.wrap(strOffsetsSec), ByteBuffer.wrap(addr), null, ByteBuffer.wrap(rnglists), null,
        ByteBuffer.wrap(lineSec));
  }

  private static List<String> render(List<SourceFrame> fs) {
    List<String> out = new ArrayList<>();
    for (SourceFrame f : fs) {
      out.add(f.function() + " " + f.file().orElse("?") + ":" + f.line().orElse(0) + (f.inlined() ? " [inline]" : ""));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void resolvesInlineChainsThroughEveryForm(String orderName) throws Exception {
    ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    List<String> problems = new ArrayList<>();
    LiveDebugInfo d = new LiveDebugInfo(build(order), PathStyle.RAW, problems::add);
    // Unit ranges come from list 1 (no aranges): [BASE, BASE+0x90) in pieces.
    assertEquals(-1, d.index().unitFor(BASE + 0x95));
    assertTrue(d.index().unitFor(BASE + 0x10) >= 0);
    // 0x1012: leaf inlined (low_pc/high_pc data1) in a lexical block of mid (rnglistx 0) in outer.
    assertEquals(List.of("leaf /src/hdr.h:10 [inline]", "mid /src/leaf.c:30 [inline]", "outer /src/leaf.c:20"),
        render(d.frames(BASE + 0x12)));
    // 0x1024 is in mid's startx_length range [0x1040, 0x1048)? no: in offset_pair [0x1010, 0x1018)? no.
    assertEquals(List.of("outer /src/leaf.c:12"), render(d.frames(BASE + 0x24)));
    assertEquals(List.of("mid /src/leaf.c:12 [inline]", "outer /src/leaf.c:20"), render(d.frames(BASE + 0x44)));
    assertEquals(List.of("mid /src/leaf.c:12 [inline]", "outer /src/leaf.c:20"), render(d.frames(BASE + 0x62)));
    assertEquals(List.of("outer /src/leaf.c:10"), render(d.frames(BASE)));
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void everyTruncationIsACheckedErrorOrAPartialResult(String orderName) {
    ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    DwarfSections full = build(order);
    for (int cut = 0; cut < full.info().limit(); cut++) {
      DwarfSections s = new DwarfSections(order, full.info().duplicate().limit(cut), full.abbrev(), full.str(), null,
          full.strOffsets(), full.addr(), null, full.rnglists(), null, full.line());
      List<String> problems = new ArrayList<>();
      LiveDebugInfo d = new LiveDebugInfo(s, PathStyle.RAW, problems::add);
      try {
        d.frames(BASE + 0x12);
      } catch (DwarfFormatException e) {
        assertFalse(e.getMessage().isEmpty());
      }
    }
    for (int cut = 0; cut < full.line().limit(); cut++) {
      DwarfSections s = new DwarfSections(order, full.info(), full.abbrev(), full.str(), null, full.strOffsets(),
          full.addr(), null, full.rnglists(), null, full.line().duplicate().limit(cut));
      LiveDebugInfo d = new LiveDebugInfo(s, PathStyle.RAW, p -> { });
      DwarfFormatException e = assertThrows(DwarfFormatException.class, () -> d.frames(BASE + 0x12));
      assertEquals(".debug_line", e.section());
    }
  }
}
