using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese.Files;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// What a model's temporary files become when nobody disposes it: deleted when the process exits, and, when the process
/// was killed, by the next process that makes a model folder under the same root. Folders of live processes, folders
/// without a stamp, unreadable stamps and links are left alone.
/// </summary>
[TestClass]
public sealed class TempFolderCleanupTests
{
    [TestMethod]
    public void AProcessThatExitsWithoutDisposingItsModelLeavesNoFolder()
    {
        using var root = new ReliabilityFolder();
        string made;
        using (var child = TrainChildProcess.Start("model-files", "--root", root.Path, "--then", "exit"))
        {
            child.WaitForSuccess();
            made = FolderOf(child);
        }
        Assert.StartsWith(root.Path, made, "the child made its folder under the root it was given");
        Assert.IsFalse(Directory.Exists(made), "the exit handler deleted the undisposed model's folder");
        Assert.IsEmpty(Directory.GetFileSystemEntries(root.Path), "nothing else was left");
    }

    [TestMethod]
    public void AKilledProcessesFolderIsDeletedByTheNextModelUnderTheSameRoot()
    {
        using var root = new ReliabilityFolder();
        string made;
        using (var child = TrainChildProcess.Start("model-files", "--root", root.Path, "--then", "wait"))
        {
            child.WaitUntil(() => child.Lines.Any(l => l.StartsWith("folder ", StringComparison.Ordinal)), "the folder is made");
            made = FolderOf(child);
            child.Kill();
        }
        Assert.IsTrue(File.Exists(Path.Combine(made, "embedder.onnx")), "SIGKILL runs no handler: the folder is still there");

        string live = OwnedTempFolder.Create(root.Path, "mlnet-siamese-").Path;   // a new root for this process: it looks
        Assert.IsFalse(Directory.Exists(made), "the killed process's folder was deleted");
        Assert.IsTrue(Directory.Exists(live), "the new folder is there");
    }

    [TestMethod]
    public void OnlyStampedFoldersOfGoneProcessesAreStale()
    {
        using var root = new ReliabilityFolder();
        string goneFolder = Folder(root, "mlnet-siamese-gone", GoneProcessStamp());
        string reused = Folder(root, "mlnet-siamese-reused", TempFolderOwner.StampOf(Environment.ProcessId, DateTime.UtcNow.AddDays(-3)));
        string alive = Folder(root, "mlnet-siamese-alive", null);
        TempFolderOwner.Stamp(alive);
        string unstamped = Folder(root, "mlnet-siamese-unstamped", null);
        string garbled = Folder(root, "mlnet-siamese-garbled", "not a stamp");
        string gone = GoneProcessStamp();
        string elsewhere = Folder(root, "mlnet-siamese-elsewhere", string.Join(' ', gone.Split(' ')[..2]) + " other-machine/pid:[1]");
        string oldFormat = Folder(root, "mlnet-siamese-two-fields", string.Join(' ', gone.Split(' ')[..2]));
        string otherPrefix = Folder(root, "other-gone", GoneProcessStamp());
        string link = Path.Combine(root.Path, "mlnet-siamese-link");
        string target = Folder(root, "elsewhere", GoneProcessStamp());
        Directory.CreateSymbolicLink(link, target);

        Assert.AreEqual(2, TempFolderReaper.DeleteStale(root.Path, "mlnet-siamese-"), "the gone process's folder and the reused id's");
        Assert.IsFalse(Directory.Exists(goneFolder), "a process id that no longer runs");
        Assert.IsFalse(Directory.Exists(reused), "this process's id with another start time is another process");
        Assert.IsTrue(Directory.Exists(alive), "this process's own folder is kept");
        Assert.IsTrue(Directory.Exists(unstamped), "a folder without a stamp (being made, or not ours) is kept");
        Assert.IsTrue(Directory.Exists(garbled), "an unreadable stamp is kept");
        Assert.IsTrue(Directory.Exists(elsewhere), "a stamp from another machine or process-id namespace (a container sharing the folder) is kept");
        Assert.IsTrue(Directory.Exists(oldFormat), "a stamp without its scope is kept");
        Assert.IsTrue(Directory.Exists(otherPrefix), "another prefix is not looked at");
        Assert.IsTrue(Directory.Exists(link) && File.Exists(Path.Combine(target, TempFolderOwner.FileName)), "a link is neither deleted nor followed");
    }

    [TestMethod]
    public void AVerifiedLoadPutsMLNetsCopyInAStampedFolderAndRestoresTheContext()
    {
        using var folder = new TempFolder();
        string images = SyntheticIdx.Write(folder.Path, classes: 4, perClass: 6);
        string model = folder.Combine("model.zip");
        CliRunner.Run("train", "--data", images, "--iterations", "2", "--batch", "8", "--embedding-dim", "4", "--seed", "3", "--out", model).AssertSuccess();
        string temp = folder.Combine("ml-temp");
        var ml = new MLContext(seed: 1) { TempFilePath = temp };

        var loaded = SiameseModelFile.Load(ml, model, out _);

        Assert.AreEqual(temp, ml.TempFilePath, "the context's setting is put back");
        var copies = Directory.GetFiles(temp, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != TempFolderOwner.FileName).ToArray();
        Assert.IsNotEmpty(copies, "ML.NET copied the graph");
        foreach (string copy in copies)
        {
            string parent = Path.GetFileName(Path.GetDirectoryName(copy))!;
            Assert.StartsWith(LoadedModelTempFolder.Prefix, parent, $"'{copy}' is in this process's loaded-model folder");
            Assert.IsTrue(File.Exists(Path.Combine(Path.GetDirectoryName(copy)!, TempFolderOwner.FileName)), "that folder is stamped");
        }
        (loaded as IDisposable)?.Dispose();
    }

    private static string FolderOf(TrainChildProcess child) =>
        child.Lines.Single(l => l.StartsWith("folder ", StringComparison.Ordinal))["folder ".Length..];

    private static string Folder(ReliabilityFolder root, string name, string? stamp)
    {
        string path = root.Combine(name);
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "graph.onnx"), new byte[16]);
        if (stamp is not null)
            File.WriteAllText(Path.Combine(path, TempFolderOwner.FileName), stamp);
        return path;
    }

    /// <summary>The stamp of a process that ran and ended.</summary>
    private static string GoneProcessStamp()
    {
        // A process that waits, so that its start time can be read before it ends (one that exits at once may be gone first).
        using var process = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var started = process.StartTime.ToUniversalTime();
        process.Kill();
        process.WaitForExit();
        return TempFolderOwner.StampOf(process.Id, started);
    }
}
