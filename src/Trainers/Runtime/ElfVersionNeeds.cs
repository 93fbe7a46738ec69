using System.Buffers.Binary;
using System.Text;

namespace MLNet.Siamese.Runtime;

/// <summary>Reads the symbol-version requirements (.gnu.version_r) of a 64-bit little-endian ELF shared library.</summary>
internal static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>True when <paramref name="version"/> is required and its requirement is not marked weak.</summary>
    public static bool IsStrict(byte[] elf, string version)
    {
        foreach (var (name, flags) in Requirements(elf))
            if (name == version) return (flags & VerFlagWeak) == 0;
        return false;
    }

    /// <summary>Every (version name, flags) pair required by the library.</summary>
    public static IEnumerable<(string Name, ushort Flags)> Requirements(byte[] d)
    {
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2 || d[5] != 1)
            throw new InvalidDataException("Not a 64-bit little-endian ELF file.");
        var s = d.AsSpan();
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(s[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3C..]);
        var result = new List<(string, ushort)>();
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BinaryPrimitives.ReadUInt32LittleEndian(s[(sh + 4)..]) != ShtGnuVerneed) continue;
            long offset = BinaryPrimitives.ReadInt64LittleEndian(s[(sh + 0x18)..]);
            uint link = BinaryPrimitives.ReadUInt32LittleEndian(s[(sh + 0x28)..]);
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(s[(sh + 0x2C)..]);
            long strtab = BinaryPrimitives.ReadInt64LittleEndian(s[checked((int)(shoff + link * shentsize + 0x18))..]);
            long vn = offset;
            for (uint n = 0; n < count; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(s[(int)(vn + 2)..]);
                long aux = vn + BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(vn + 8)..]);
                for (int k = 0; k < auxCount; k++)
                {
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(s[(int)(aux + 4)..]);
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(aux + 8)..]);
                    int start = (int)(strtab + name);
                    int end = s[start..].IndexOf((byte)0);
                    result.Add((Encoding.ASCII.GetString(s.Slice(start, end)), flags));
                    uint next = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(aux + 12)..]);
                    if (next == 0) break;
                    aux += next;
                }
                uint vnNext = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(vn + 12)..]);
                if (vnNext == 0) break;
                vn += vnNext;
            }
        }
        return result;
    }
}
