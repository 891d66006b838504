using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Vdsr.Server.Tests;

/// <summary>
/// Headless Chromium driven by the system's chromedriver (Debian: apt-get install chromium
/// chromium-driver); never downloaded. Quit and its profile deleted when disposed.
/// </summary>
internal sealed class Browser : IDisposable
{
    private readonly ChromeDriverService _service;
    private readonly string _profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, string profile)
    {
        Driver = driver;
        _service = service;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Why the browser tests cannot run here, or null when Chromium and chromedriver are installed.</summary>
    public static string? MissingReason()
    {
        if (FindOnPath("chromium", "chromium-browser") is null) return "Chromium is not installed (apt-get install chromium chromium-driver)";
        if (FindOnPath("chromedriver") is null) return "chromedriver is not installed (apt-get install chromium-driver)";
        return null;
    }

    public static Browser Start(string downloadFolder)
    {
        string chromium = FindOnPath("chromium", "chromium-browser")!, chromedriver = FindOnPath("chromedriver")!;
        string profile = Directory.CreateTempSubdirectory("vdsr-browser-").FullName;
        Directory.CreateDirectory(downloadFolder);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-sync", "--disable-component-update", "--hide-scrollbars", $"--user-data-dir={profile}");
        options.AddUserProfilePreference("download.default_directory", downloadFolder);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        try
        {
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
            driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
            return new Browser(driver, service, profile);
        }
        catch
        {
            service.Dispose();
            TryDelete(profile);
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a timeout fails with <paramref name="what"/> and the page's state.</summary>
    public T WaitFor<T>(Func<T?> condition, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (condition() is T value) return value;
            }
            catch (Exception e) when (e is NoSuchElementException or StaleElementReferenceException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what}; the page says: {Driver.FindElement(By.TagName("body")).Text}");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        catch (WebDriverException)
        {
            // The browser is gone already.
        }
        Driver.Dispose();
        _service.Dispose();
        TryDelete(_profile);
    }

    private static string? FindOnPath(params string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
