using System.Text;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// Finds ONNX tensors stored as external data in the ONNX graphs of an ML.NET model zip. ONNX Runtime reads external
/// data from a path relative to the model file, and ML.NET writes the model file to the temporary folder before
/// loading it, so a hostile model could read any file the user can (measured: an initializer named after a file in
/// <c>$TMPDIR</c> changed the metrics without an error). This library never writes external data, so a model that
/// holds any is refused.
/// </summary>
/// <remarks>
/// ML.NET stores each ONNX model in an entry whose name ends with <c>OnnxModel</c>: a 32-bit length followed by the
/// serialized <c>ModelProto</c>. The protobuf is walked with bounded depth through every place a tensor can appear
/// (graph initializers and sparse initializers, node attributes with tensors and sub-graphs, functions), and a
/// <c>TensorProto</c> with <c>external_data</c> entries or <c>data_location = EXTERNAL</c> is reported by name.
/// </remarks>
internal static class OnnxExternalDataCheck
{
    private const int MaxDepth = 64;

    /// <summary>Refuses a model zip whose ONNX graphs use external data.</summary>
    /// <param name="path">The model zip (already verified to be a readable zip).</param>
    /// <exception cref="InvalidDataException">A tensor uses external data, or an ONNX entry is malformed; the message names the file and tensor.</exception>
    public static void Check(string path)
    {
        foreach (var (entry, model) in OnnxZipEntries.Read(path))
        {
            string? tensor;
            try
            {
                tensor = FindExternalTensor(model);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Model file '{path}': ONNX entry '{entry}' is malformed ({e.Message}).", e);
            }
            if (tensor is not null)
                throw new InvalidDataException($"Model file '{path}': ONNX tensor '{tensor}' in entry '{entry}' is stored as external data (read from a file outside the model); such models are refused.");
        }
    }

    /// <summary>The name of the first tensor stored as external data in a serialized ONNX ModelProto, or null.</summary>
    /// <param name="model">The ModelProto bytes.</param>
    /// <returns>The tensor name ("(unnamed)" when it has none), or null.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public static string? FindExternalTensor(ReadOnlySpan<byte> model) => Walk(model, Kind.Model, 0);

    private enum Kind
    {
        Model,
        Graph,
        Function,
        Node,
        Attribute,
        SparseTensor,
        Tensor,
    }

    private static Kind? ChildKind(Kind parent, int field) => (parent, field) switch
    {
        (Kind.Model, 7) => Kind.Graph,
        (Kind.Model, 25) => Kind.Function,
        (Kind.Graph, 1) => Kind.Node,
        (Kind.Graph, 5) => Kind.Tensor,
        (Kind.Graph, 15) => Kind.SparseTensor,
        (Kind.Function, 7) => Kind.Node,
        (Kind.Node, 5) => Kind.Attribute,
        (Kind.Attribute, 5) => Kind.Tensor,
        (Kind.Attribute, 6) => Kind.Graph,
        (Kind.Attribute, 10) => Kind.Tensor,
        (Kind.Attribute, 11) => Kind.Graph,
        (Kind.Attribute, 22) => Kind.SparseTensor,
        (Kind.Attribute, 23) => Kind.SparseTensor,
        (Kind.SparseTensor, 1) => Kind.Tensor,
        (Kind.SparseTensor, 2) => Kind.Tensor,
        _ => null,
    };

    private static string? Walk(ReadOnlySpan<byte> message, Kind kind, int depth)
    {
        if (depth > MaxDepth)
            throw new InvalidDataException($"nesting deeper than {MaxDepth} levels");
        string? name = null;
        bool external = false;
        int position = 0;
        while (position < message.Length)
        {
            ulong key = ProtoWire.ReadVarint(message, ref position);
            int field = (int)(key >> 3);
            int wire = (int)(key & 7);
            if (field == 0)
                throw new InvalidDataException("field number 0");
            switch (wire)
            {
                case 0:
                    ulong value = ProtoWire.ReadVarint(message, ref position);
                    if (kind == Kind.Tensor && field == 14 && value == 1)
                        external = true;
                    break;
                case 1:
                    ProtoWire.Skip(message, ref position, 8);
                    break;
                case 5:
                    ProtoWire.Skip(message, ref position, 4);
                    break;
                case 2:
                    var payload = ProtoWire.ReadPayload(message, ref position);
                    if (kind == Kind.Tensor && field == 13)
                        external = true;
                    else if (kind == Kind.Tensor && field == 8)
                        name = Encoding.UTF8.GetString(payload);
                    else if (ChildKind(kind, field) is Kind child && Walk(payload, child, depth + 1) is string found)
                        return found;
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {wire}");
            }
        }
        return external ? name ?? "(unnamed)" : null;
    }
}
