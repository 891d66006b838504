using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;

namespace Vdsr.Server.Tests;

/// <summary>
/// The page in a real browser (headless Chromium) against the real server (Kestrel on a free port,
/// the bundled model loaded as vdsr-serve loads it): a bad file shows its reason; butterfly x2 is
/// upscaled with progress, compared with the slider and the loupe, and its downloaded PNG is
/// vdsr-demo's, bit for bit. A screenshot goes to TestResults/ beside the tests.
/// </summary>
public sealed class BrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task ButterflyUploadedInTheBrowserDownloadsVdsrDemosPng()
    {
        string? missing = Browser.MissingReason();
        Skip.If(missing is not null, missing);
        using var temp = new TempFolder();
        string butterfly = Tool.InRepo("Set5/butterfly_GT.bmp");
        File.WriteAllText(temp.File("notes.png"), "not a picture");

        using var models = ServeNetwork.Bundled();
        await using var server = ServerHost.Create(new ServerSettings { Port = 0 }, models);
        await server.StartAsync();
        using var browser = Browser.Start(temp.File("downloads"));
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(server.Address);
        browser.WaitFor(() => driver.FindElement(By.CssSelector("body[data-ready=true]")), Short, "the page to read /api/health");
        Assert.Equal("VDSR (model_epoch_50.pth)", driver.FindElement(By.CssSelector("#model option")).Text);

        // A file that is no picture: its card shows the reason vdsr-demo gives.
        driver.FindElement(By.Id("files")).SendKeys(temp.File("notes.png"));
        var refused = browser.WaitFor(() => driver.FindElement(By.CssSelector(".job[data-state=error] .status")), Short, "the refused file's card");
        Assert.Equal("notes.png: not an image in a supported format (PNG, JPEG, BMP, WebP or GIF)", refused.Text);

        driver.FindElement(By.CssSelector("#scale option[value='2']")).Click();
        driver.FindElement(By.Id("files")).SendKeys(butterfly);
        var card = browser.WaitFor(() => driver.FindElement(By.XPath("//article[contains(@class,'job')][.//h2[text()='butterfly_GT.bmp']]")),
            Short, "butterfly's card");
        browser.WaitFor(() => card.GetAttribute("data-state") is "done" or "error" ? card : null, TimeSpan.FromSeconds(240), "butterfly's result");
        Assert.True(card.GetAttribute("data-state") == "done", card.Text);
        Assert.Contains("256×256 → 512×512", card.FindElement(By.CssSelector(".status")).Text);

        // The comparison: the divider follows the slider, and the loupe appears over the picture.
        var compare = card.FindElement(By.CssSelector(".compare"));
        new Actions(driver).MoveToElement(compare, compare.Size.Width / 5, -compare.Size.Height / 6).Perform();
        browser.WaitFor(() => card.FindElement(By.CssSelector(".loupe")) is { Displayed: true } loupe ? loupe : null, Short, "the loupe");
        Assert.Contains("butterfly_GT_x2_bicubic.png", card.FindElement(By.CssSelector("a.download-bicubic")).GetAttribute("download"));

        string screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "vdsr-serve.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        driver.GetScreenshot().SaveAsFile(screenshot);
        output.WriteLine($"screenshot: {screenshot}");

        card.FindElement(By.CssSelector("a.download-vdsr")).Click();
        string downloaded = temp.File("downloads/butterfly_GT_x2_vdsr.png");
        browser.WaitFor(() => File.Exists(downloaded) && !Directory.EnumerateFiles(temp.File("downloads"), "*.crdownload").Any() ? downloaded : null,
            Short, "the download");

        var demo = Tool.Run("demo", ["--image", butterfly, "--scale", "2", "--output", temp.File("demo")], timeoutSeconds: 240);
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Equal(File.ReadAllBytes(temp.File("demo/butterfly_GT_x2_vdsr.png")), File.ReadAllBytes(downloaded));
    }
}
