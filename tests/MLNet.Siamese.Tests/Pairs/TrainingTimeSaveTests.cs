using Microsoft.ML;
using static MLNet.Siamese.Tests.Pairs.PairTestData;

namespace MLNet.Siamese.Tests.Pairs;

[TestClass]
public sealed class TrainingTimeSaveTests
{
    [TestMethod]
    public void SavingThePairGenerator_ThrowsSayingItIsATrainingTimeTransform()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var transformer = ml.Siamese().GeneratePairs(pairCount: 10, seed: 1).Fit(data);
        using var stream = new MemoryStream();
        var e = Assert.Throws<Exception>(() => ml.Model.Save(transformer, data.Schema, stream));
        AssertMessage(e, "PairGeneratorTransformer is a training-time transform", "not part of a saved model", "keep it out of the pipeline you save");
    }

    [TestMethod]
    public void SavingAChainHoldingThePairGenerator_ThrowsTheSameMessage()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var chain = ml.Siamese().GeneratePairs(pairCount: 10, seed: 1)
            .Append(ml.Transforms.Concatenate("Both", "LeftFeatures", "RightFeatures")).Fit(data);
        using var stream = new MemoryStream();
        var e = Assert.Throws<Exception>(() => ml.Model.Save(chain, data.Schema, stream));
        AssertMessage(e, "training-time transform", "Fit it separately");
    }

    [TestMethod]
    public void SavingTheTripletGenerator_ThrowsSayingItIsATrainingTimeTransform()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var transformer = ml.Siamese().GenerateTriplets(tripletCount: 10, seed: 1).Fit(data);
        using var stream = new MemoryStream();
        var e = Assert.Throws<Exception>(() => ml.Model.Save(transformer, data.Schema, stream));
        AssertMessage(e, "TripletGeneratorTransformer is a training-time transform", "not part of a saved model");
    }

    [TestMethod]
    public void WhatSurfacesFromModelSave_IsTheNotSupportedExceptionItself()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var transformer = ml.Siamese().GeneratePairs(pairCount: 10, seed: 1).Fit(data);
        using var stream = new MemoryStream();
        var e = Assert.Throws<Exception>(() => ml.Model.Save(transformer, data.Schema, stream));
        Assert.IsInstanceOfType<NotSupportedException>(e, e.ToString());
    }
}
