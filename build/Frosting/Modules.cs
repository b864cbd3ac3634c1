using Cake.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>
/// A Cake module's registrations (<see cref="ICakeModule.Register"/>) carried
/// into the build's service collection: a type is transient unless the module
/// asks for a singleton, an instance is a singleton; each is registered as the
/// types the module names, or as itself.
/// </summary>
internal sealed class ModuleRegistrar(IServiceCollection services) : ICakeContainerRegistrar
{
    private readonly List<Registration> _registrations = [];

    public ICakeRegistrationBuilder RegisterType(Type type) => Add(new Registration(type, null));

    public ICakeRegistrationBuilder RegisterInstance<TImplementation>(TImplementation instance) where TImplementation : class =>
        Add(new Registration(typeof(TImplementation), instance) { Singleton = true });

    private Registration Add(Registration registration)
    {
        _registrations.Add(registration);
        return registration;
    }

    /// <summary>Adds what the module registered, once it is done.</summary>
    public void Apply()
    {
        foreach (var registration in _registrations)
        {
            foreach (var service in registration.Services.Count > 0 ? registration.Services : [registration.Type])
            {
                services.Add(registration.Instance is { } instance
                    ? new ServiceDescriptor(service, instance)
                    : new ServiceDescriptor(service, registration.Type, registration.Singleton ? ServiceLifetime.Singleton : ServiceLifetime.Transient));
            }
        }
    }

    private sealed class Registration(Type type, object? instance) : ICakeRegistrationBuilder
    {
        public Type Type { get; } = type;
        public object? Instance { get; } = instance;
        public List<Type> Services { get; } = [];
        public bool Singleton { get; set; }

        public ICakeRegistrationBuilder As(Type type)
        {
            Services.Add(type);
            return this;
        }

        public ICakeRegistrationBuilder AsSelf() => As(Type);

        ICakeRegistrationBuilder ICakeRegistrationBuilder.Singleton()
        {
            Singleton = true;
            return this;
        }

        public ICakeRegistrationBuilder Transient()
        {
            Singleton = false;
            return this;
        }
    }
}
