using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Siamese.Evaluation;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// <c>siamese oneshot</c>: N-way K-shot accuracy, on the fixed runs of Lake et al. (<c>--runs</c>) or on random episodes
/// drawn from labelled data (<c>--data</c>). Matching by pair score (highest wins; every needed pair scored in one
/// batch) or by embedding distance (lowest wins; every image embedded once).
/// </summary>
internal static class OneShotCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var runs = new Option<string?>("--runs") { Description = "Folder of one-shot runs in the format of Lake et al. (run01/class_labels.txt, ...)." };
        var data = CommonOptions.Data(required: false, description: "Labelled data to draw random episodes from (instead of --runs); repeatable.");
        var labelDepth = CommonOptions.LabelDepth();
        var ways = new Option<int>("--ways") { Description = "N: classes per episode (default 20).", DefaultValueFactory = _ => 20 };
        var shots = new Option<int>("--shots") { Description = "K: support images per class (default 1).", DefaultValueFactory = _ => 1 };
        var episodes = new Option<int>("--episodes") { Description = "Number of random episodes (default 100).", DefaultValueFactory = _ => 100 };
        var withinGroup = CommonOptions.WithinGroup("All classes of an episode come from one group (e.g. one alphabet with --label-depth 2).");
        var match = new Option<string>("--match") { Description = "score: highest pair score wins (default; computed from embedding distances, each item embedded once, unless the model has a learned BCE head); distance: nearest embedding wins (prototype of the K shots).", DefaultValueFactory = _ => "score" };
        match.AcceptOnlyFromAmong("score", "distance");
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("oneshot", "N-way K-shot accuracy on one-shot runs (--runs) or random episodes (--data).")
            .With(model, runs, data, labelDepth, ways, shots, episodes, withinGroup, match, seed, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: parse.GetValue(seed)) { TempFilePath = temp.Path };
            string? runsPath = parse.GetValue(runs);
            string[] dataPaths = parse.GetValue(data) ?? [];
            if ((runsPath is null) == (dataPaths.Length == 0))
                throw new CliUsageException("give either --runs DIR or --data PATH (with --ways, --shots, --episodes), not both.");
            using var modelFile = ItemEmbedder.Open(ml, parse.GetValue(model)!);
            // A score that follows the distance ranks candidates exactly as the distance to the nearest support does, so
            // each item is embedded once instead of every pair being decoded and embedded again.
            bool byScore = parse.GetValue(match) == "score" && !modelFile.ScoreFollowsDistance;
            if (byScore && modelFile.PairScorer is null)
                throw new CliUsageException($"--model '{parse.GetValue(model)}' gives embeddings but no pair scores, and its pair score need not follow the distance (a binary cross-entropy model, or one whose loss is not recorded): give the pair scorer zip written by 'siamese train', or --match distance.");
            var aggregation = parse.GetValue(match) == "score" ? SupportAggregation.NearestSupport : SupportAggregation.Prototype;
            OneShotResult result;
            string description;
            if (runsPath is not null)
            {
                result = EvaluateRuns(modelFile, runsPath, byScore);
                description = $"{result.Episodes} run(s) in {runsPath}";
            }
            else
            {
                var options = new OneShotEpisodeOptions
                {
                    Ways = parse.GetValue(ways),
                    Shots = parse.GetValue(shots),
                    Episodes = parse.GetValue(episodes),
                    Seed = parse.GetValue(seed),
                    SameGroup = parse.GetValue(withinGroup),
                };
                CommonOptions.Positive("--ways", options.Ways);
                CommonOptions.Positive("--shots", options.Shots);
                CommonOptions.Positive("--episodes", options.Episodes);
                var items = DataSources.Load(dataPaths, parse.GetValue(labelDepth), io);
                modelFile.CheckCompatible(items, "--data");
                result = EvaluateEpisodes(modelFile, items, options, byScore, aggregation);
                description = $"{options.Episodes} {options.Ways}-way {options.Shots}-shot episode(s){(options.SameGroup ? " within groups" : "")}";
            }
            Report(io, result, description, parse.GetValue(match)!);
            return ExitCodes.Success;
        });
        return command;
    }

    private static OneShotResult EvaluateRuns(ItemEmbedder model, string runsPath, bool byScore)
    {
        if (model.Kind != InputKind.Images)
            throw new CliUsageException($"--runs needs a model of image files, but '{model.Path}' takes IDX feature vectors.");
        var runs = OneShotRunsReader.Read(runsPath);
        if (byScore)
        {
            var tests = runs.SelectMany(r => r.TestImages).Distinct(StringComparer.Ordinal).ToList();
            var candidates = runs.SelectMany(r => r.TrainingImages).Distinct(StringComparer.Ordinal).ToList();
            var testIndex = Index(tests);
            var candidateIndex = Index(candidates);
            var pairs = runs.SelectMany(r => r.TestImages.SelectMany(t => r.TrainingImages.Select(m => (testIndex[t], candidateIndex[m]))))
                .Distinct().ToList();
            var (score, _) = model.PairScorer!.ScorePairs(Images(tests), Images(candidates), pairs);
            var lookup = new Dictionary<(int, int), float>(pairs.Count);
            for (int i = 0; i < pairs.Count; i++)
                lookup[pairs[i]] = score[i];
            return OneShotRunsEvaluator.Evaluate(runs, (string t, string m) => lookup[(testIndex[t], candidateIndex[m])], higherScoreIsSimilar: true);
        }
        var all = runs.SelectMany(r => r.TestImages.Concat(r.TrainingImages)).Distinct(StringComparer.Ordinal).ToList();
        float[][] embeddings = model.Embed(Images(all), "--runs");
        var byPath = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < all.Count; i++)
            byPath[all[i]] = embeddings[i];
        return OneShotRunsEvaluator.EvaluateEmbeddings(runs, path => byPath[path]);
    }

    internal static OneShotResult EvaluateEpisodes(ItemEmbedder model, ItemSet items, OneShotEpisodeOptions options, bool byScore, SupportAggregation aggregation)
    {
        // The episodes depend only on the seed, so a first pass records which items and pairs they use; those are then
        // embedded or scored in one batch, and a second pass replays the same episodes against the results.
        var recorder = new RecordingMatcher();
        OneShotEvaluator.Evaluate(recorder, items.Labels, options, options.SameGroup ? items.Groups : null);
        if (byScore)
        {
            var pairs = recorder.Pairs.ToList();
            var (score, _) = model.PairScorer!.ScorePairs(items, items, pairs);
            var lookup = new Dictionary<(int, int), float>(pairs.Count);
            for (int i = 0; i < pairs.Count; i++)
                lookup[pairs[i]] = score[i];
            return OneShotEvaluator.Evaluate(new PairScoreMatcher((q, s) => lookup[(q, s)], higherScoreIsSimilar: true),
                items.Labels, options, options.SameGroup ? items.Groups : null);
        }
        var used = recorder.Items.Order().ToList();
        float[][] embedded = model.Embed(items.Select(used), "--data");
        int dimension = embedded.Length == 0 ? 0 : embedded[0].Length;
        var embeddings = new float[items.Count][];
        var zero = new float[dimension];
        for (int i = 0; i < items.Count; i++)
            embeddings[i] = zero;
        for (int k = 0; k < used.Count; k++)
            embeddings[used[k]] = embedded[k];
        return OneShotEvaluator.Evaluate(new EmbeddingMatcher(embeddings, aggregation: aggregation), items.Labels, options, options.SameGroup ? items.Groups : null);
    }

    private static void Report(CliIO io, OneShotResult result, string description, string match)
    {
        string Name(int i) => result.EpisodeNames.Count > i ? result.EpisodeNames[i] : $"episode{i + 1:D4}";
        if (io.Json)
        {
            var runs = new JsonArray();
            for (int i = 0; i < result.Episodes; i++)
                runs.Add(new JsonObject { ["name"] = Name(i), ["accuracy"] = JsonNumbers.Of(result.PerEpisodeAccuracy[i]) });
            io.WriteJson(new JsonObject
            {
                ["accuracy"] = JsonNumbers.Of(result.Accuracy),
                ["correct"] = result.Correct,
                ["queries"] = result.Queries,
                ["episodes"] = result.Episodes,
                ["ci95"] = JsonNumbers.Of(result.ConfidenceInterval95),
                ["match"] = match,
                ["runs"] = runs,
            });
            return;
        }
        string interval = double.IsFinite(result.ConfidenceInterval95)
            ? string.Create(CultureInfo.InvariantCulture, $", 95% CI +/- {result.ConfidenceInterval95:P2}.")
            : ".";
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One-shot accuracy {result.Accuracy:P2} ({result.Correct}/{result.Queries}) over {description}, matching by {match}{interval}"));
        if (result.EpisodeNames.Count > 0)
        {
            var table = new Table().AddColumn("Run").AddColumn(new TableColumn("Accuracy").RightAligned());
            for (int i = 0; i < result.Episodes; i++)
                table.AddRow(Name(i), result.PerEpisodeAccuracy[i].ToString("P1", CultureInfo.InvariantCulture));
            io.WriteTable(table);
        }
    }

    private static Dictionary<string, int> Index(List<string> paths)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < paths.Count; i++)
            index[paths[i]] = i;
        return index;
    }

    private static ItemSet Images(IReadOnlyList<string> paths)
    {
        var empty = paths.Select(_ => "").ToList();
        return ItemSet.FromImages(paths, empty, empty);
    }

    /// <summary>Records the items and (query, support) pairs an episode pass needs; always answers class 0.</summary>
    private sealed class RecordingMatcher : IOneShotMatcher
    {
        public HashSet<(int Query, int Support)> Pairs { get; } = [];

        public HashSet<int> Items { get; } = [];

        public int Match(int queryIndex, IReadOnlyList<IReadOnlyList<int>> supportByClass)
        {
            Items.Add(queryIndex);
            foreach (var support in supportByClass)
            {
                foreach (int s in support)
                {
                    Items.Add(s);
                    Pairs.Add((queryIndex, s));
                }
            }
            return 0;
        }
    }
}
