using TorchSharp;
using TorchSharp.Modules;
using HeldScalarAdam = MLNet.Siamese.Trainers.Adam;
using TorchSharpAdam = TorchSharp.Modules.Adam;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>
/// <see cref="HeldScalarAdam"/> (the library's <c>Adam</c>) updates parameters exactly as TorchSharp's Adam does (two groups at different rates,
/// a changed rate mid-way), and their saved states are the same bytes, so checkpoints move between them.
/// </summary>
[TestClass]
public sealed class AdamTests
{
    [TestMethod]
    public void StepsAsTorchSharpsAdamBitForBit()
    {
        using var scope = NewDisposeScope();
        var (oursNet, theirsNet) = (Network(), Network());
        using var ours = new HeldScalarAdam(Groups(oursNet), 1e-3, 0.9, 0.999);
        using var theirs = optim.Adam(Groups(theirsNet), 1e-3, 0.9, 0.999);
        manual_seed(3);
        for (int step = 0; step < 6; step++)
        {
            if (step == 3)
                foreach (var optimizer in new OptimizerHelper[] { ours, theirs })
                    foreach (var group in optimizer.ParamGroups) group.LearningRate *= 0.5;
            var input = randn(8, 5);
            foreach (var (net, optimizer) in new[] { (oursNet, (OptimizerHelper)ours), (theirsNet, theirs) })
            {
                optimizer.zero_grad();
                net.forward(input).pow(2).sum().backward();
                optimizer.step();
            }
            foreach (var ((name, a), (_, b)) in oursNet.named_parameters().Zip(theirsNet.named_parameters()))
                Assert.IsTrue(a.eq(b).all().item<bool>(), $"{name} after step {step + 1}");
        }
        CollectionAssert.AreEqual(Saved(theirs), Saved(ours), "saved optimizer state");
    }

    [TestMethod]
    public void ResumesFromTorchSharpsSavedState()
    {
        using var scope = NewDisposeScope();
        var (oursNet, theirsNet) = (Network(), Network());
        using var theirs = optim.Adam(Groups(theirsNet), 1e-3, 0.9, 0.999);
        using var ours = new HeldScalarAdam(Groups(oursNet), 1e-3, 0.9, 0.999);
        theirsNet.forward(ones(2, 5)).sum().backward();
        theirs.step();
        using (var reader = new BinaryReader(new MemoryStream(Saved(theirs))))
            ours.load_state_dict(reader);
        CollectionAssert.AreEqual(Saved(theirs), Saved(ours));
    }

    private static Sequential Network()
    {
        manual_seed(1);
        return nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 2));
    }

    private static IEnumerable<TorchSharpAdam.ParamGroup> Groups(Sequential net)
    {
        var parameters = net.parameters().ToList();
        yield return new TorchSharpAdam.ParamGroup(parameters.Take(2), 1e-3 * 0.1, 0.9, 0.999);
        yield return new TorchSharpAdam.ParamGroup(parameters.Skip(2), 1e-3, 0.9, 0.999);
    }

    private static byte[] Saved(OptimizerHelper optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return stream.ToArray();
    }
}
