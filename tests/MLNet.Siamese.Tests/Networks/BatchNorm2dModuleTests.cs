using MLNet.Siamese.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Networks;

/// <summary>
/// <see cref="BatchNorm2dModule"/> computes what TorchSharp's <c>BatchNorm2d</c> computes, bit for bit, in training and
/// evaluation mode, with the same state (names, running statistics, batch count) and the same gradients, so models and
/// checkpoints are the same with either.
/// </summary>
[TestClass]
public sealed class BatchNorm2dModuleTests
{
    [TestMethod]
    public void TrainsAndEvaluatesAsTorchSharpsBatchNorm2d()
    {
        using var scope = NewDisposeScope();
        using var ours = new BatchNorm2dModule(3, 1e-3, 0.2);
        using var theirs = nn.BatchNorm2d(3, eps: 1e-3, momentum: 0.2);
        CollectionAssert.AreEqual(theirs.state_dict().Keys.ToList(), ours.state_dict().Keys.ToList(), "state names, in order");
        CollectionAssert.AreEqual(theirs.named_parameters().Select(p => p.name).ToList(), ours.named_parameters().Select(p => p.name).ToList());

        manual_seed(5);
        for (int step = 0; step < 3; step++)
        {
            var input = randn(4, 3, 5, 6) * 2 + 1;
            var a = input.clone().requires_grad_(true);
            var b = input.clone().requires_grad_(true);
            var outOurs = ours.forward(a);
            var outTheirs = theirs.forward(b);
            Assert.IsTrue(Same(outOurs, outTheirs), $"training output, step {step}");
            (outOurs * outOurs).sum().backward();
            (outTheirs * outTheirs).sum().backward();
            Assert.IsTrue(Same(a.grad!, b.grad!), $"input gradient, step {step}");
            foreach (var name in new[] { "weight", "bias" })
                Assert.IsTrue(Same(ours.get_parameter(name)!.grad!, theirs.get_parameter(name)!.grad!), $"{name} gradient, step {step}");
        }
        var stateOurs = ours.state_dict();
        foreach (var (name, value) in theirs.state_dict())
            Assert.IsTrue(Same(stateOurs[name], value), name);
        Assert.AreEqual(3L, stateOurs["num_batches_tracked"].item<long>());

        ours.eval();
        theirs.eval();
        var test = randn(2, 3, 5, 6);
        Assert.IsTrue(Same(ours.forward(test), theirs.forward(test)), "evaluation output (running statistics)");
        Assert.AreEqual(3L, ours.state_dict()["num_batches_tracked"].item<long>(), "evaluation does not count batches");
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [TestMethod]
    public void RefusesAnInputThatIsNotAnImageBatch()
    {
        using var module = new BatchNorm2dModule(3);
        using var flat = zeros(2, 3);
        var error = Assert.ThrowsExactly<ArgumentException>(() => module.forward(flat));
        StringAssert.Contains(error.Message, "2 dimensions");
    }
}
