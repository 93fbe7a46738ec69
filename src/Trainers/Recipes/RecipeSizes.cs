namespace MLNet.Siamese;

/// <summary>The image-size rule every recipe shares.</summary>
internal static class RecipeSizes
{
    /// <summary>The side the network's layers see: the one asked for, or the recipe's own.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 16 (four poolings), or a fixed input size is not given.</exception>
    public static int Side(int? imageSize, int recipeSize, bool inputSizeFixed)
    {
        if (inputSizeFixed && imageSize is null)
            throw new ArgumentOutOfRangeException(nameof(imageSize), "A fixed input size must be given (the side of the data's images).");
        int side = imageSize ?? recipeSize;
        if (side < 16)
            throw new ArgumentOutOfRangeException(nameof(imageSize), side, "Recipes need images of at least 16x16 pixels.");
        return side;
    }
}
