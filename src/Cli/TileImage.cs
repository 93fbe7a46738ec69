using SkiaSharp;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Writes search results as one PNG: the query first, then the results, in rows of up to <see cref="Columns"/> tiles,
/// each captioned ("query", or rank and distance).
/// </summary>
internal static class TileImage
{
    public const int Columns = 6;

    public static void Write(string path, ItemSet query, int queryIndex, ItemSet gallery, IReadOnlyList<(int Index, float Distance)> hits)
    {
        var tiles = new List<SheetTile> { new(() => TileSheet.LoadTile(query, queryIndex), "query", new SKColor(0x1f, 0x77, 0xb4), 3) };
        for (int t = 0; t < hits.Count; t++)
        {
            int index = hits[t].Index;
            tiles.Add(new(() => TileSheet.LoadTile(gallery, index), TileSheet.RankCaption(t + 1, hits[t].Distance), SKColors.Black));
        }
        TileSheet.Write(path, [.. tiles.Chunk(Columns)]);
    }
}
