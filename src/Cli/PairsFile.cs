using System.Globalization;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Cli;

/// <summary>One listed pair: the full paths of its two images, and whether they show the same class.</summary>
/// <param name="Left">The first image, as a full path to the file named.</param>
/// <param name="Right">The second image, as a full path to the file named.</param>
/// <param name="Same">True when the two images show the same class (person, signer, product).</param>
internal sealed record ListedPair(string Left, string Right, bool Same);

/// <summary>
/// A fixed list of labelled pairs, the way verification benchmarks ship (LFW's pairs, signature genuine/forgery lists):
/// one pair a line, <c>left,right,label</c> or tab-separated, paths relative to the file's folder or absolute, the label
/// 1/0, true/false or same/different. Blank lines and lines starting with <c>#</c> are skipped; a first line whose label
/// is none of those is a header. Every error names the file and the line.
/// </summary>
internal static class PairsFile
{
    /// <summary>Reads the pairs of <paramref name="path"/>; <paramref name="option"/> names it in errors.</summary>
    /// <exception cref="CliUsageException">A missing file, a line without three fields, a label that is not one, an image that does not exist, or a list without both same and different pairs.</exception>
    public static IReadOnlyList<ListedPair> Read(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new CliUsageException($"{option} '{path}' does not exist.");
        string folder = Path.GetDirectoryName(full)!;
        var pairs = new List<ListedPair>();
        bool first = true;
        int number = 0;
        foreach (string raw in File.ReadLines(full))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            string[] fields = line.Split(line.Contains('\t') ? '\t' : ',').Select(f => f.Trim().Trim('"')).ToArray();
            if (fields.Length != 3)
                throw new CliUsageException($"{option} '{path}' line {number}: {fields.Length} field(s); a pair is 'left,right,label' (or tab-separated).");
            bool? same = Label(fields[2]);
            bool header = first && same is null;
            first = false;
            if (header)
                continue;
            if (same is null)
                throw new CliUsageException($"{option} '{path}' line {number}: label '{fields[2]}' is not 1/0, true/false or same/different.");
            pairs.Add(new ListedPair(Image(fields[0], folder, option, path, number), Image(fields[1], folder, option, path, number), same.Value));
        }
        int sameCount = pairs.Count(p => p.Same);
        if (sameCount == 0 || sameCount == pairs.Count)
            throw new CliUsageException($"{option} '{path}' lists {sameCount} same and {pairs.Count - sameCount} different pair(s); the metrics need both.");
        return pairs;
    }

    /// <summary>The label a field spells, or null when it spells none.</summary>
    public static bool? Label(string field) => field.ToLowerInvariant() switch
    {
        "1" or "true" or "same" => true,
        "0" or "false" or "different" => false,
        _ => null,
    };

    private static string Image(string field, string folder, string option, string path, int number)
    {
        if (field.Length == 0)
            throw new CliUsageException($"{option} '{path}' line {number}: an empty image path.");
        string full = Path.GetFullPath(Path.Combine(folder, field));
        if (!File.Exists(full))
            throw new CliUsageException($"{option} '{path}' line {number}: image '{field}' does not exist (looked for '{full}').");
        return full;
    }

    /// <summary>
    /// The distinct images of <paramref name="pairs"/> as one item set (Netpbm files read through their converted PNGs),
    /// and each pair's two rows in it.
    /// </summary>
    public static (ItemSet Items, (int Left, int Right)[] Rows) Items(IReadOnlyList<ListedPair> pairs)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new List<string>();
        int Row(string image)
        {
            if (!index.TryGetValue(image, out int row))
            {
                row = ids.Count;
                index[image] = row;
                ids.Add(image);
            }
            return row;
        }
        var rows = pairs.Select(p => (Row(p.Left), Row(p.Right))).ToArray();
        var labels = ids.Select(_ => "").ToList();
        var items = ItemSet.FromImages(ids.Select(id => NetpbmConversion.DecodablePath(id)).ToList(), labels, labels, ids: ids);
        return (items, rows);
    }

    /// <summary>How many pairs are same and different, for a summary line.</summary>
    public static string Describe(IReadOnlyList<ListedPair> pairs)
        => string.Create(CultureInfo.InvariantCulture, $"{pairs.Count} listed pairs ({pairs.Count(p => p.Same)} same / {pairs.Count(p => !p.Same)} different)");
}
