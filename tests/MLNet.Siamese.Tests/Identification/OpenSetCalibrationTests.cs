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
        return OpenSetCalibration.Calibrate(gallery, GalleryRows.Of(gallery, options.Mode), options, null);
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
        var error = Assert.ThrowsExactly<ArgumentException>(() => OpenSetCalibration.Calibrate(single, GalleryRows.Of(single, GalleryMode.Items), new EnrollmentOptions { K = 1 }, null));
        StringAssert.Contains(error.Message, "single class");
    }
}
