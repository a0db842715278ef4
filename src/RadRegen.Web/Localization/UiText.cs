namespace RadRegen.Web.Localization;

/// <summary>
/// The words every page shares (navigation, buttons, the footer): pages read them as <c>T["English text"]</c>
/// (Pages/_ViewImports.cshtml). The English text is the key, so a string without a translation shows in
/// English; translations live in <c>Resources/Localization/UiText.ja.resx</c>. A page's own words use the
/// view localizer <c>L</c>, with a resource file beside the view's path under <c>Resources/</c> (ADR 0041).
/// </summary>
public sealed class UiText;
