using Cake.Core;

namespace Platform.Build.Frosting;

/// <summary>Marker for contexts the host can create (as in Cake.Frosting).</summary>
public interface IFrostingContext : ICakeContext;

/// <summary>
/// The context a build gets when it names none, and the base class of a
/// build's typed context: Cake's own adapter over the Cake context, so every
/// Cake alias (extension methods on ICakeContext) works on it.
/// </summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext;
