using System.Runtime.CompilerServices;

// The tests check the class-expanding transformations of the training data (rotated and mirrored classes) directly.
[assembly: InternalsVisibleTo("MLNet.Siamese.Tests")]

// The siamese tool (recipe detection, checkpoints), the fuzz targets (the checkpoint reader), the benchmarks (the
// allocator tuning) and the tests' child trainer process (checkpoints) are this repository's own programs: they reach
// plumbing a user of the library does not need.
[assembly: InternalsVisibleTo("siamese")]
[assembly: InternalsVisibleTo("MLNet.Siamese.Fuzz")]
[assembly: InternalsVisibleTo("MLNet.Siamese.Bench")]
[assembly: InternalsVisibleTo("MLNet.Siamese.TrainChild")]
