namespace RadRegen.Web;

/// <summary>Anchors this assembly for Razor Pages application-part discovery.</summary>
public sealed class WebAssemblyMarker;
