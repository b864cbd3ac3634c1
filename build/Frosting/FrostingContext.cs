using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Platform.Build.Frosting;

/// <summary>Marker for contexts the host can create (as in Cake.Frosting).</summary>
public interface IFrostingContext : ICakeContext;

/// <summary>
/// Base class for a build's typed context: wraps the Cake context the host
/// built, so every Cake alias (extension methods on ICakeContext) works on it.
/// </summary>
public abstract class FrostingContext(ICakeContext context) : IFrostingContext
{
    private readonly ICakeContext _context = context ?? throw new ArgumentNullException(nameof(context));

    public IFileSystem FileSystem => _context.FileSystem;
    public ICakeEnvironment Environment => _context.Environment;
    public IGlobber Globber => _context.Globber;
    public ICakeLog Log => _context.Log;
    public ICakeArguments Arguments => _context.Arguments;
    public IProcessRunner ProcessRunner => _context.ProcessRunner;
    public IRegistry Registry => _context.Registry;
    public IToolLocator Tools => _context.Tools;
    public ICakeDataResolver Data => _context.Data;
    public ICakeConfiguration Configuration => _context.Configuration;
    public IToolInstaller ToolInstaller => _context.ToolInstaller;
    public IServiceProvider ServiceProvider => _context.ServiceProvider;
}

/// <summary>The context used when a host names none.</summary>
public sealed class DefaultFrostingContext(ICakeContext context) : FrostingContext(context);
