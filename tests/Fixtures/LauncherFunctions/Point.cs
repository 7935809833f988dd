namespace LauncherFunctions;

/// <summary>A plain record, returned as a JSON object.</summary>
public sealed record Point(double X, double Y, string Label);
