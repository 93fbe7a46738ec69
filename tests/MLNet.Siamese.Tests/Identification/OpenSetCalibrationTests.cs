using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Tests.Identification;

/// <summary>
/// Leave-class-out calibration on four 2-D points counted by hand: A = (0,0), (0,1); B = (3,0); C = (0,5).
/// Items: impostor distances A(0,0)->B 3, A(0,1)->B sqrt(10), B->A(0,0) 3, C->A(0,1) 4.
/// Prototypes (A's mean (0,0.5)): 3, sqrt(10), B->A sqrt(9.25), C->A 4.5.
/// </summary>
[TestClass]
public sealed class OpenSetCalibrationTests
{
    private static IdentificationGallery Points() => new("fingerprint", 2,
        [("a1", "A", [0f, 0f]), ("a2", "A", [0f, 1f]), ("b1", "B", [3f, 0f]), ("c1", "C", [0f, 5f])]);

    private static IdentifierSettings Calibrate(EnrollmentOptions options)
    {
        var gallery = Points();
        return OpenSetCalibration.Calibrate(gallery, GalleryRows.Of(gallery, options.Mode), options, null, null);
    }

    [TestMethod]
    public void ImpostorDistancesLeaveTheQuerysClassOut()
    {
        CollectionAssert.AreEqual(new[] { 3f, 3f, MathF.Sqrt(10f), 4f }, Calibrate(new EnrollmentOptions { K = 1 }).ImpostorDistances.ToArray());
        CollectionAssert.AreEqual(new[] { 3f, MathF.Sqrt(9.25f), MathF.Sqrt(10f), 4.5f },
            Calibrate(new EnrollmentOptions { K = 1, Mode = GalleryMode.Prototypes }).ImpostorDistances.ToArray());
    }

    [TestMethod]
    public void TheThresholdMeetsTheTargetFalseAcceptRate()
    {
        // 25 %: one of four may pass, but the two at 3 tie: none passes, t is just below 3.
        Assert.AreEqual(MathF.BitDecrement(3f), Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0.25 }).Threshold);
        // 50 %: two may pass: t is just below sqrt(10).
        Assert.AreEqual(MathF.BitDecrement(MathF.Sqrt(10f)), Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0.5 }).Threshold);
    }

    [TestMethod]
    public void ATargetTooSmallForTheImpostorsAtHand_SaysWhatRateToExpect()
    {
        // Four impostor distances: 1 % cannot be measured; the threshold accepts none, and a new impostor passes 1 time in 5.
        var tight = Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0.01 });
        Assert.AreEqual(MathF.BitDecrement(3f), tight.Threshold);
        StringAssert.Contains(tight.Calibration, "on 4 leave-class-out impostor queries; too few to measure that rate");
        StringAssert.Contains(tight.Calibration, "about 1 time in 5 (20 %)");
        // 25 % of four can be measured, and a rate of 0 asks for none by itself: no such remark.
        Assert.DoesNotContain("too few", Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0.25 }).Calibration);
        Assert.DoesNotContain("too few", Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0 }).Calibration);
    }

    [TestMethod]
    public void TheThresholdMeetsTheTargetPrecision()
    {
        // Genuine leave-one-out: a1 -> a2 and a2 -> a1 at distance 1, both right; impostors 3, 3, sqrt(10), 4.
        Assert.AreEqual(1f, Calibrate(new EnrollmentOptions { K = 1, TargetPrecision = 1 }).Threshold);
        // Precision 0.5 is reached with the two impostors at 3 (2 right of 4), not beyond.
        Assert.AreEqual(3f, Calibrate(new EnrollmentOptions { K = 1, TargetPrecision = 0.5 }).Threshold);
    }

    [TestMethod]
    public void OneClassCannotBeCalibratedWithoutImpostors()
    {
        var single = new IdentificationGallery("fingerprint", 2, [("a1", "A", [0f, 0f])]);
        var error = Assert.ThrowsExactly<ArgumentException>(() => OpenSetCalibration.Calibrate(single, GalleryRows.Of(single, GalleryMode.Items), new EnrollmentOptions { K = 1 }, null, null));
        StringAssert.Contains(error.Message, "single class");
    }

    /// <summary>A model profile of 10,000 impostor pairs at distances 0.001, 0.002, ..., 10.</summary>
    private static ImpostorDistanceProfile Profile(bool heldOut = true)
        => ImpostorDistanceProfile.FromDistances(Enumerable.Range(1, 10_000).Select(i => i * 0.001f).ToArray(), 40, heldOut);

    private static IdentifierSettings Calibrate(EnrollmentOptions options, ImpostorDistanceProfile? profile, IReadOnlyList<float[]>? impostors = null)
    {
        var gallery = Points();
        return OpenSetCalibration.Calibrate(gallery, GalleryRows.Of(gallery, options.Mode), options, impostors, profile);
    }

    [TestMethod]
    public void WithTheModelsImpostorDistances_TheThresholdIsTheirPairRateForTheGallerysRows()
    {
        // Four item rows at 1 %: pair rate 1 - 0.99^(1/4) = 0.00251, about the 26th of the 10,000 distances (0.026).
        var settings = Calibrate(new EnrollmentOptions { K = 1 }, Profile());
        var profile = Profile();
        Assert.AreEqual(MathF.BitDecrement(profile.Quantile(ImpostorDistanceProfile.PairRate(0.01, 4))), settings.Threshold);
        Assert.AreEqual(0.026f, settings.Threshold, 0.0005f);
        StringAssert.Contains(settings.Calibration, "read from the model's 10000 impostor pairs (40 classes held out of training): pair rate 0.00251 for 4 gallery rows");
        Assert.DoesNotContain("may be higher", settings.Calibration);
        // Confidence: a quarter of the nearest-row distances lie at or below the pair quantile 1 - 0.75^(1/4).
        float quarter = profile.Quantile(1 - Math.Pow(0.75, 0.25));
        Assert.AreEqual(0.25, settings.ImpostorDistances.Count(d => d <= quarter) / (double)settings.ImpostorDistances.Length, 0.002);
        Assert.AreEqual("far=0.01", settings.Rule);
    }

    [TestMethod]
    public void WithTheModelsImpostorDistances_OneClassCanBeEnrolled()
    {
        var single = new IdentificationGallery("fingerprint", 2, [("a1", "A", [0f, 0f])]);
        var settings = OpenSetCalibration.Calibrate(single, GalleryRows.Of(single, GalleryMode.Items), new EnrollmentOptions { K = 1 }, null, Profile());
        Assert.AreEqual(MathF.BitDecrement(Profile().Quantile(0.01)), settings.Threshold);
    }

    [TestMethod]
    public void ARateTheModelCannotResolve_OrTrainingClasses_AreSaid()
    {
        var settings = Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 1e-6, Calibration = ThresholdCalibration.Model }, Profile(heldOut: false));
        Assert.AreEqual(MathF.BitDecrement(0.001f), settings.Threshold);
        StringAssert.Contains(settings.Calibration, "(40 training classes)");
        StringAssert.Contains(settings.Calibration, "pair rates down to 0.0001 only");
        StringAssert.Contains(settings.Calibration, "expect a higher rate");
    }

    [TestMethod]
    public void AutoCalibratesOnTheGallery_ForPrototypes_GivenImpostors_OrWithoutAProfile()
    {
        Assert.AreEqual(MathF.BitDecrement(3f), Calibrate(new EnrollmentOptions { K = 1, Mode = GalleryMode.Prototypes }, Profile()).Threshold);
        StringAssert.Contains(Calibrate(new EnrollmentOptions { K = 1 }, Profile(), [[9f, 9f]]).Calibration, "leave-class-out impostor queries");
        StringAssert.Contains(Calibrate(new EnrollmentOptions { K = 1 }, null).Calibration, "leave-class-out impostor queries");
        // Asked for: the gallery, even with a profile; and the rule remembers it for updates.
        var gallery = Calibrate(new EnrollmentOptions { K = 1, Calibration = ThresholdCalibration.Gallery }, Profile());
        Assert.AreEqual(MathF.BitDecrement(3f), gallery.Threshold);
        Assert.AreEqual("far=0.01;calibration=gallery", gallery.Rule);
        Assert.AreEqual(ThresholdCalibration.Gallery, gallery.ToOptions().Calibration);
        Assert.AreEqual(0.01, gallery.ToOptions().TargetFalseAcceptRate);
        var model = Calibrate(new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0.05, Calibration = ThresholdCalibration.Model }, Profile());
        Assert.AreEqual("far=0.05;calibration=model", model.Rule);
        Assert.AreEqual(ThresholdCalibration.Model, model.ToOptions().Calibration);
        // A threshold or a precision target ignores the profile.
        Assert.AreEqual(1f, Calibrate(new EnrollmentOptions { K = 1, TargetPrecision = 1 }, Profile()).Threshold);
        Assert.AreEqual(2.5f, Calibrate(new EnrollmentOptions { K = 1, Threshold = 2.5f }, Profile()).Threshold);
    }

    [TestMethod]
    public void AutoCalibratesOnTheGallery_WhenItHasEnoughClassesToMeasureTheRate()
    {
        // 100 classes of one item on a line, 10 apart: at 1 % the gallery's 100 leave-class-out queries measure the
        // rate; at 0.5 % they do not, and the model's distances set the threshold.
        var line = new IdentificationGallery("fingerprint", 1, Enumerable.Range(0, 100).Select(i => ($"i{i}", $"c{i}", new[] { 10f * i })));
        var rows = GalleryRows.Of(line, GalleryMode.Items);
        StringAssert.Contains(OpenSetCalibration.Calibrate(line, rows, new EnrollmentOptions { K = 1 }, null, Profile()).Calibration, "on 100 leave-class-out impostor queries");
        StringAssert.Contains(OpenSetCalibration.Calibrate(line, rows, new EnrollmentOptions { K = 1, TargetFalseAcceptRate = 0.005 }, null, Profile()).Calibration, "read from the model's");
        var fewer = new IdentificationGallery("fingerprint", 1, Enumerable.Range(0, 99).Select(i => ($"i{i}", $"c{i}", new[] { 10f * i })));
        StringAssert.Contains(OpenSetCalibration.Calibrate(fewer, GalleryRows.Of(fewer, GalleryMode.Items), new EnrollmentOptions { K = 1 }, null, Profile()).Calibration, "read from the model's");
    }

    [TestMethod]
    public void ModelCalibrationThatCannotBeDone_IsRefusedWithTheReason()
    {
        var options = new EnrollmentOptions { K = 1, Calibration = ThresholdCalibration.Model };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Calibrate(options, null)).Message, "this model has none");
        options.Mode = GalleryMode.Prototypes;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Calibrate(options, Profile())).Message, "not to class prototypes");
        options.Mode = GalleryMode.Items;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Calibrate(options, Profile(), [[9f, 9f]])).Message, "Impostor images were given");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new EnrollmentOptions { Calibration = (ThresholdCalibration)7 }.Validate());
    }
}
