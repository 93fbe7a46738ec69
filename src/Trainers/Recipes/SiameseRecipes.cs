namespace MLNet.Siamese;

/// <summary>The recipes that ship with the library, by name.</summary>
public static class SiameseRecipes
{
    /// <summary>Handwritten characters and symbols: see <see cref="HandwritingRecipe"/>.</summary>
    public static SiameseRecipe Handwriting { get; } = new HandwritingRecipe();

    /// <summary>Any image folder, trained from scratch with no ink-specific steps: see <see cref="GeneralRecipe"/>.</summary>
    public static SiameseRecipe General { get; } = new GeneralRecipe();

    /// <summary>Colour photos on a frozen pretrained ResNet18 with an identity-initialised head: see <see cref="PhotosRecipe"/>.</summary>
    public static SiameseRecipe Photos { get; } = new PhotosRecipe();

    /// <summary>Every recipe, in the order <c>siamese train --help</c> lists them.</summary>
    public static IReadOnlyList<SiameseRecipe> All { get; } = [General, Handwriting, Photos];

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(r => r.Name).ToArray();

    /// <summary>The recipe of a name (case-insensitive).</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="ArgumentException">No recipe has that name; the message lists the names.</exception>
    public static SiameseRecipe Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown recipe '{name}'. Known recipes: {string.Join(", ", Names)}.", nameof(name));
    }
}
