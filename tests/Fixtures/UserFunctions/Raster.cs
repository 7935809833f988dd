namespace UserFunctions;

/// <summary>Functions over datasets: the handle-holding one cannot cross; the path-taking one can.</summary>
public static class Raster
{
    public static int WriteDataset(Dataset dataset) => dataset.Writer.Handle.IsInvalid ? 0 : 1;

    public static int WritePixels(string path, int value)
    {
        File.AppendAllText(path, $"{value}\n");
        return value;
    }
}
