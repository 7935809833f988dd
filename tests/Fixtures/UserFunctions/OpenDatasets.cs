namespace UserFunctions;

/// <summary>The rasterio case under fork: a dataset opened in the parent, held in a global.</summary>
public static class OpenDatasets
{
    public static Dataset? Writing;

    /// <summary>write_dataset, on the inherited global.</summary>
    public static int WriteInherited(int pixels) => Writing is null ? 0 : Raster.WriteDataset(Writing) * pixels;
}
