using System.Globalization;

namespace UserFunctions;

/// <summary>A function that needs the OS's culture data, as most apps formatting numbers for people do.</summary>
public static class Cultures
{
    /// <summary><paramref name="x"/> as a German reader writes it: <c>1.234,50</c>.</summary>
    public static string German(double x) => x.ToString("N2", new CultureInfo("de-DE"));
}
