namespace UserFunctions;

/// <summary>The rasterio case: a dataset object that holds an open file handle.</summary>
public sealed class Dataset
{
    public Dataset(string path) => Writer = new DatasetWriter(path);

    public DatasetWriter Writer { get; }
}
