namespace Vdsr.Core.Imaging;

/// <summary>The image files the toolkit reads, by extension, and the order generate_train.m lists them in.</summary>
public static class ImageFormats
{
    /// <summary>
    /// Readable extensions: generate_train.m's jpg, bmp and png first, in its listing order, then
    /// what else the decoder reads (WebP, and GIF; animations are refused on reading).
    /// </summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".bmp", ".png", ".webp", ".gif"];

    public const string Description = "PNG, JPEG, BMP, WebP or GIF";

    public static bool IsReadable(string path) => ListingRank(path) >= 0;

    /// <summary>
    /// The group of a file in generate_train.m's listing (jpg and jpeg, then bmp, png, webp, gif);
    /// -1 for files that are not images.
    /// </summary>
    public static int ListingRank(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".jpeg") extension = ".jpg";
        for (int i = 0; i < Extensions.Count; i++)
            if (Extensions[i] == extension) return i;
        return -1;
    }

    /// <summary>The readable images of a folder, sorted by name (ordinal).</summary>
    public static IReadOnlyList<string> ImagesIn(string folder) =>
        Directory.EnumerateFiles(folder).Where(IsReadable).Order(StringComparer.Ordinal).ToList();
}
