// The one implementation of the libstdc++ adaptation of TorchSharp's native glue (docs/torchsharp-on-older-linux.md).
// This file is compiled twice:
//   - into MLNet.Siamese.Trainers (which defines MLNET_SIAMESE_LIBRARY), where TorchRuntime uses ElfVersionNeeds to
//     explain a failed load;
//   - by MSBuild's RoslynCodeTaskFactory from build/MLNet.Siamese.Trainers.targets, where the task class at the end
//     patches libLibTorchSharp.so in the build and publish output.
// It is therefore plain C# against netstandard2.0 (no spans, no BinaryPrimitives): the task factory compiles with that.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !MLNET_SIAMESE_LIBRARY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace MLNet.Siamese.Runtime
{
    /// <summary>
    /// Reads and adjusts the symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF shared
    /// library, and finds the system's libstdc++.
    /// </summary>
    internal static class ElfVersionNeeds
    {
        /// <summary>The libstdc++ symbol version TorchSharp 0.107's glue asks for (GCC 13).</summary>
        public const string TorchSharpGlibcxx = "GLIBCXX_3.4.32";

        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        private static readonly string[] LibraryFolders =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };

        /// <summary>True when <paramref name="version"/> is required and its requirement is not marked weak.</summary>
        public static bool IsStrict(byte[] elf, string version)
        {
            foreach (var (name, flags) in Requirements(elf))
            {
                if (name == version) return (flags & VerFlagWeak) == 0;
            }
            return false;
        }

        /// <summary>Every (version name, flags) pair required by the library.</summary>
        public static List<(string Name, ushort Flags)> Requirements(byte[] elf)
        {
            var result = new List<(string, ushort)>();
            Walk(elf, (name, flagsOffset) => result.Add((name, ReadUInt16(elf, flagsOffset))));
            return result;
        }

        /// <summary>Sets VER_FLG_WEAK on every strict requirement of <paramref name="version"/>; returns how many changed.</summary>
        public static int MarkWeak(byte[] elf, string version)
        {
            int changed = 0;
            Walk(elf, (name, flagsOffset) =>
            {
                ushort flags = ReadUInt16(elf, flagsOffset);
                if (name != version || (flags & VerFlagWeak) != 0) return;
                ushort weak = (ushort)(flags | VerFlagWeak);
                elf[flagsOffset] = (byte)weak;
                elf[flagsOffset + 1] = (byte)(weak >> 8);
                changed++;
            });
            return changed;
        }

        /// <summary>The system's libstdc++.so.6, or null when none is found in the usual library folders.</summary>
        public static string? SystemLibStdCxx()
        {
            foreach (string folder in LibraryFolders)
            {
                string path = Path.Combine(folder, "libstdc++.so.6");
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>The newest GLIBCXX_3.4.N version named in a libstdc++ image, e.g. "GLIBCXX_3.4.30"; null if none.</summary>
        public static string? NewestGlibcxx(byte[] libStdCxx)
        {
            byte[] prefix = Encoding.ASCII.GetBytes("GLIBCXX_3.4.");
            int newest = -1;
            for (int i = IndexOf(libStdCxx, prefix, 0); i >= 0; i = IndexOf(libStdCxx, prefix, i + 1))
            {
                int n = 0, digits = 0;
                for (int j = i + prefix.Length; j < libStdCxx.Length && libStdCxx[j] >= (byte)'0' && libStdCxx[j] <= (byte)'9' && digits < 4; j++, digits++)
                    n = n * 10 + (libStdCxx[j] - (byte)'0');
                if (digits > 0 && n > newest) newest = n;
            }
            return newest < 0 ? null : "GLIBCXX_3.4." + newest;
        }

        /// <summary>True when the libstdc++ image names <paramref name="version"/> (it defines that symbol version).</summary>
        public static bool Provides(byte[] libStdCxx, string version) => IndexOf(libStdCxx, Encoding.ASCII.GetBytes(version), 0) >= 0;

        // Calls visit(name, offset of vna_flags) for every Vernaux entry of every SHT_GNU_verneed section.
        private static void Walk(byte[] d, Action<string, int> visit)
        {
            if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2 || d[5] != 1)
                throw new InvalidDataException("Not a 64-bit little-endian ELF file.");
            long shoff = ReadInt64(d, 0x28);
            int shentsize = ReadUInt16(d, 0x3A);
            int shnum = ReadUInt16(d, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                int sh = checked((int)(shoff + (long)i * shentsize));
                if (ReadUInt32(d, sh + 4) != ShtGnuVerneed) continue;
                long offset = ReadInt64(d, sh + 0x18);
                uint link = ReadUInt32(d, sh + 0x28);
                uint count = ReadUInt32(d, sh + 0x2C);
                long strtab = ReadInt64(d, checked((int)(shoff + link * shentsize + 0x18)));
                long vn = offset;
                for (uint n = 0; n < count; n++)
                {
                    int auxCount = ReadUInt16(d, checked((int)(vn + 2)));
                    long aux = vn + ReadUInt32(d, checked((int)(vn + 8)));
                    for (int k = 0; k < auxCount; k++)
                    {
                        int a = checked((int)aux);
                        visit(ReadString(d, checked((int)(strtab + ReadUInt32(d, a + 8)))), a + 4);
                        uint next = ReadUInt32(d, a + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint vnNext = ReadUInt32(d, checked((int)(vn + 12)));
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
        }

        private static ushort ReadUInt16(byte[] d, int at) => (ushort)(d[at] | d[at + 1] << 8);

        private static uint ReadUInt32(byte[] d, int at) => (uint)(d[at] | d[at + 1] << 8 | d[at + 2] << 16 | d[at + 3] << 24);

        private static long ReadInt64(byte[] d, int at) => (long)((ulong)ReadUInt32(d, at) | (ulong)ReadUInt32(d, at + 4) << 32);

        private static string ReadString(byte[] d, int start)
        {
            int end = start;
            while (end < d.Length && d[end] != 0) end++;
            return Encoding.ASCII.GetString(d, start, end - start);
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from)
        {
            for (int i = from; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }
}

#if !MLNET_SIAMESE_LIBRARY
/// <summary>
/// MSBuild task: where the system's libstdc++ lacks GLIBCXX_3.4.32, marks that requirement weak in every
/// libLibTorchSharp.so under <see cref="Directory"/> and says so in the build output.
/// </summary>
public class MLNetSiamesePatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    /// <summary>The build or publish output folder.</summary>
    [Required] public string Directory { get; set; } = "";

    /// <summary>Runs the adaptation; never fails the build (a library it cannot adapt gets a warning).</summary>
    public override bool Execute()
    {
        const string Version = MLNet.Siamese.Runtime.ElfVersionNeeds.TorchSharpGlibcxx;
        const string Prefix = "MLNet.Siamese: ";
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
            || !System.IO.Directory.Exists(Directory))
            return true;
        string[] libraries = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        string? systemLib = MLNet.Siamese.Runtime.ElfVersionNeeds.SystemLibStdCxx();
        byte[] system = systemLib == null ? new byte[0] : File.ReadAllBytes(systemLib);
        if (MLNet.Siamese.Runtime.ElfVersionNeeds.Provides(system, Version))
        {
            Log.LogMessage(MessageImportance.Normal, Prefix + systemLib + " provides " + Version + "; libLibTorchSharp.so left as shipped.");
            return true;
        }
        string newest = MLNet.Siamese.Runtime.ElfVersionNeeds.NewestGlibcxx(system) ?? "no GLIBCXX version";
        foreach (string library in libraries)
        {
            try
            {
                byte[] image = File.ReadAllBytes(library);
                if (MLNet.Siamese.Runtime.ElfVersionNeeds.MarkWeak(image, Version) == 0)
                {
                    Log.LogMessage(MessageImportance.Normal, Prefix + library + " already accepts this libstdc++ (" + Version + " weak or absent).");
                    continue;
                }
                string temp = library + ".patching";
                File.WriteAllBytes(temp, image);
                File.Copy(temp, library, true);
                File.Delete(temp);
                Log.LogMessage(MessageImportance.High, Prefix + "patched " + library + ": marked its " + Version + " requirement weak, because "
                    + (systemLib ?? "this system's libstdc++") + " provides only up to " + newest + " and TorchSharp's glue would not load "
                    + "(the one symbol of that version is never called). Turn off with -p:MLNetSiamesePatchLibTorchSharp=false; "
                    + "see docs/torchsharp-on-older-linux.md.");
            }
            catch (Exception ex)
            {
                Log.LogWarning(Prefix + "could not adapt " + library + " to this system's libstdc++ (" + ex.Message + "). TorchSharp will fail to load; see docs/torchsharp-on-older-linux.md.");
            }
        }
        return true;
    }
}
#endif
