using MLNet.Siamese.Identification;
using SkiaSharp;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Writes identification answers as one PNG with <see cref="TileSheet"/>, one row per query: the query (captioned
/// "known" with a green frame, or "unknown" with a red one), then its neighbours captioned with rank and distance; when
/// the answer is known, the first neighbour (the answer) is framed green. Gallery tiles are read from their ids when
/// those are image files.
/// </summary>
internal static class IdentificationTiles
{
    private static readonly SKColor Known = new(0x2c, 0xa0, 0x2c);
    private static readonly SKColor Unknown = new(0xd6, 0x27, 0x28);

    public static void Write(string path, ItemSet queries, IReadOnlyList<IdentificationResult> results, int maxRows = 24)
    {
        var rows = new List<IReadOnlyList<SheetTile>>();
        for (int q = 0; q < Math.Min(results.Count, maxRows); q++)
        {
            var result = results[q];
            int query = q;
            var row = new List<SheetTile> { new(() => TileSheet.LoadTile(queries, query), result.IsKnown ? "known" : "unknown", result.IsKnown ? Known : Unknown, 3) };
            for (int n = 0; n < result.NeighborIds.Length; n++)
            {
                bool answer = n == 0 && result.IsKnown;
                string id = result.NeighborIds[n];
                // Gallery ids are the paths as enrolled: a Netpbm original is drawn from its converted PNG.
                row.Add(new(() => File.Exists(id) ? SKBitmap.Decode(MLNet.Siamese.Data.NetpbmConversion.DecodablePath(id)) : null, TileSheet.RankCaption(n + 1, result.NeighborDistances[n]),
                    answer ? Known : SKColors.Black, answer ? 3 : 1));
            }

            rows.Add(row);
        }

        TileSheet.Write(path, rows);
    }
}
