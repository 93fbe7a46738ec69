using System.Runtime.CompilerServices;

// The pair-generator tests build SchemaShapes with the internal SchemaShapeFactory (ML.NET keeps SchemaShape.Create internal).
[assembly: InternalsVisibleTo("MLNet.Siamese.Tests")]
