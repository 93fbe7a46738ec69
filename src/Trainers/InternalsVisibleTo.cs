using System.Runtime.CompilerServices;

// The tests check the class-expanding transformations of the training data (rotated and mirrored classes) directly.
[assembly: InternalsVisibleTo("MLNet.Siamese.Tests")]
