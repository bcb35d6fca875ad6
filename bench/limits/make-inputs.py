#!/usr/bin/env python3
"""Writes the hostile inputs of bench/limits/run.sh into a directory (argument 1).

Reports follow mm/kasan/report.c print_report(): the ==== rule, the BUG: KASAN header, the access line,
dump_stack_lvl()'s CPU/Hardware/Call Trace, the Allocated/Freed stacks, the closing rule.
"""
import os
import struct
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

FRAMES = ["dump_stack_lvl+0x1e7/0x2e0", "print_report+0x167/0x540", "kasan_report+0x142/0x180",
          "ext4_xattr_set_entry+0x1c56/0x1e70", "ext4_xattr_ibody_set+0x12a/0x310", "ext4_xattr_set+0x24d/0x380",
          "__vfs_setxattr+0x460/0x4a0", "vfs_setxattr+0x221/0x420", "__x64_sys_setxattr+0xbb/0xd0",
          "do_syscall_64+0xfb/0x240", "entry_SYSCALL_64_after_hwframe+0x6d/0x75"]


def report(n, prefixed, frames=None, irq=0):
    body = []
    body.append("==================================================================")
    body.append("BUG: KASAN: slab-use-after-free in f%d+0x1c56/0x1e70" % (n % 97))
    body.append("Write of size 4 at addr ffff88802a4c%04x by task syz-executor.0/%d" % (n % 0xffff, 1000 + n % 5000))
    body.append("")
    body.append("CPU: 1 PID: %d Comm: syz-executor.0 Not tainted 6.8.0-rc3 #0" % (1000 + n % 5000))
    body.append("Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2 04/01/2014")
    body.append("Call Trace:")
    body.append(" <TASK>")
    for i in range(irq):
        body.append(" <IRQ>")
        body.append(" handle_irq_%d+0x10/0x20" % (i % 50))
        body.append(" </IRQ>")
    for f in (frames if frames is not None else FRAMES):
        body.append(" " + f)
    body.append(" </TASK>")
    body.append("")
    body.append("Allocated by task %d on cpu 1 at 31.471098s:" % (1000 + n % 5000))
    body.append(" kasan_save_stack+0x3f/0x60")
    body.append(" __kmalloc+0x231/0x4a0")
    body.append(" ext4_xattr_inode_get+0x132/0x560")
    body.append("")
    body.append("Freed by task %d on cpu 0 at 31.501001s:" % (1000 + n % 5000))
    body.append(" kasan_save_stack+0x3f/0x60")
    body.append(" kfree+0x12c/0x3a0")
    body.append(" ext4_xattr_inode_get+0x3c1/0x560")
    body.append("")
    body.append("==================================================================")
    if not prefixed:
        return body
    t = 31.0 + n * 0.001
    return ["[%12.6f][ T%4d] %s" % (t + i * 1e-6, 1000 + n % 5000, l) for i, l in enumerate(body)]


def write(name, lines, sep="\n"):
    with open(os.path.join(out, name), "w") as f:
        for l in lines:
            f.write(l)
            f.write(sep)


def many(prefixed):
    for n in range(100_000):
        yield from report(n, prefixed)


write("100k-reports-prefixed.log", many(True))
write("100k-reports-unprefixed.log", many(False))
# one report without a prefix (a pasted report) ahead of many prefixed ones: the probe's quadratic case
write("unprefixed-then-100k-prefixed.log", list(report(0, False)) + list(many(True)))
with open(os.path.join(out, "20mb-line.log"), "w") as f:
    f.write("x" * (20 << 20))
    f.write("\n")
    f.write("\n".join(report(1, True)) + "\n")
write("100k-frames.log", report(2, True, frames=["f%d+0x10/0x40" % i for i in range(100_000)]))
write("10k-irq.log", report(3, True, irq=10_000))
write("bare-cr.log", many(True), sep="\r")
# a million symbols: an ELF64 x86-64 executable with one .text and a .symtab of 1M functions
n = 1_000_000
strtab = bytearray(b"\0")
syms = bytearray(24)  # the null symbol
for i in range(n):
    off = len(strtab)
    strtab += b"fn_%d\0" % i
    # st_name, st_info (GLOBAL FUNC), st_other, st_shndx=1 (.text), st_value, st_size
    syms += struct.pack("<IBBHQQ", off, 0x12, 0, 1, 0xffffffff81000000 + 16 * i, 16)
shstr = b"\0.text\0.symtab\0.strtab\0.shstrtab\0"
text_size = 16 * n
ehsize, shentsize = 64, 64
off_symtab = ehsize
off_strtab = off_symtab + len(syms)
off_shstr = off_strtab + len(strtab)
off_sh = (off_shstr + len(shstr) + 7) & ~7
sections = [
    struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    struct.pack("<IIQQQQIIQQ", 1, 8, 6, 0xffffffff81000000, 0, text_size, 0, 0, 16, 0),  # .text NOBITS
    struct.pack("<IIQQQQIIQQ", 7, 2, 0, 0, off_symtab, len(syms), 3, 1, 8, 24),  # .symtab -> .strtab
    struct.pack("<IIQQQQIIQQ", 15, 3, 0, 0, off_strtab, len(strtab), 0, 0, 1, 0),
    struct.pack("<IIQQQQIIQQ", 23, 3, 0, 0, off_shstr, len(shstr), 0, 0, 1, 0),
]
ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
header = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0xffffffff81000000, 0, off_sh, 0, ehsize, 0, 0,
                             shentsize, len(sections), 4)
with open(os.path.join(out, "1m-symbols.elf"), "wb") as f:
    f.write(header)
    f.write(syms)
    f.write(strtab)
    f.write(shstr)
    f.write(bytes(off_sh - (off_shstr + len(shstr))))
    for s in sections:
        f.write(s)

# a DWARF unit claiming 4 GB: the kfix fixture with its first .debug_info unit's length made the 64-bit
# escape (0xffffffff) followed by 2^32 (DWARF 7.2.2's 64-bit initial length)
def sections_of(elf):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    named = {}
    for h in hdrs:
        name = elf[stroff + h[0]:elf.index(b"\0", stroff + h[0])].decode()
        named[name] = h
    return named


kfix = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../testdata/elf/kfix/x86_64-dwarf5/kfix.elf")
elf = bytearray(open(kfix, "rb").read())
info = sections_of(elf)[".debug_info"]
at = info[4]
unit_len, = struct.unpack_from("<I", elf, at)
# the unit's header after its length moves 8 bytes on; keep the section size by cutting the unit's tail
rest = elf[at + 4:at + info[5]]
patched = struct.pack("<IQ", 0xffffffff, 1 << 32) + rest[:len(rest) - 8]
elf[at:at + info[5]] = patched
open(os.path.join(out, "dwarf-unit-4gb.elf"), "wb").write(elf)
