using System.Runtime.CompilerServices;

// The tests check the pictures' documented names and sizes and their small computations (src/Cli/Plots).
[assembly: InternalsVisibleTo("MLNet.Siamese.Tests")]
