using MLNet.Siamese.Fuzz;
using SharpFuzz;

// Usage: MLNet.Siamese.Fuzz TARGET          run under afl-fuzz (SharpFuzz out-of-process loop on standard input)
//        MLNet.Siamese.Fuzz TARGET FILE...  run the target once on each file (replaying a corpus or a crash)
//        MLNet.Siamese.Fuzz --write-seeds DIR   write the seed corpus
if (args is ["--write-seeds", var seeds])
{
    SeedCorpus.Write(seeds);
    return 0;
}
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: MLNet.Siamese.Fuzz {{{string.Join('|', FuzzTargets.Names)}}} [FILE...]");
    return 2;
}
string target = args[0];
string scratch = Path.Combine(Path.GetTempPath(), $"siamese-fuzz-{target}-{Environment.ProcessId}");
void Reset()
{
    if (Directory.Exists(scratch))
        Directory.Delete(scratch, recursive: true);
    Directory.CreateDirectory(scratch);
}
try
{
    if (args.Length > 1)
    {
        foreach (string file in args.Skip(1))
        {
            Reset();
            FuzzTargets.Run(target, File.ReadAllBytes(file), scratch);
        }
        return 0;
    }
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        Reset();
        FuzzTargets.Run(target, memory.ToArray(), scratch);
    });
    return 0;
}
finally
{
    if (Directory.Exists(scratch))
        Directory.Delete(scratch, recursive: true);
}
