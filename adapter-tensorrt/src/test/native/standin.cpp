// A stand-in for a TensorRT object, for TrtOwnershipTest: the same shape as nvinfer1's interfaces (a base whose only
// virtual member is a protected destructor, an interface deriving from it, an implementation class hidden behind it),
// recording which objects were destroyed, in order.
#include <jni.h>
#include <cstddef>
#include <mutex>
#include <vector>

namespace {
std::mutex lock;
std::vector<int> destroyed;

class NoCopyLike {
protected:
    NoCopyLike() = default;
    virtual ~NoCopyLike() = default;
    NoCopyLike(NoCopyLike const&) = delete;
    NoCopyLike& operator=(NoCopyLike const&) = delete;
};

class InterfaceLike : public NoCopyLike {
public:
    virtual ~InterfaceLike() noexcept = default;
protected:
    void* mImpl = nullptr;
};

class Implementation final : public InterfaceLike {
public:
    explicit Implementation(int id) : id(id), payload(1 << 16, id) {}
    ~Implementation() noexcept override {
        std::lock_guard<std::mutex> g(lock);
        destroyed.push_back(id);
    }
private:
    int id;
    std::vector<int> payload;
};
// Shaped like nvonnxparser::IParser of TensorRT 11.2: no INoCopy base; six virtual functions are declared before the
// virtual destructor and more after it, so the destructor pair takes vtable slots 6 (complete) and 7 (deleting).
class ParserLike {
public:
    virtual bool parse(void const*, size_t, char const*) noexcept = 0;
    virtual bool parseFromFile(char const*, int) noexcept = 0;
    virtual bool supportsOperator(char const*) const noexcept = 0;
    virtual int getNbErrors() const noexcept = 0;
    virtual void const* getError(int) const noexcept = 0;
    virtual void clearErrors() noexcept = 0;
    virtual ~ParserLike() noexcept = default;
    virtual char const* const* getUsedVCPluginLibraries(long&) const noexcept = 0;
    virtual void setFlags(unsigned) noexcept = 0;
};

class ParserImplementation final : public ParserLike {
public:
    explicit ParserImplementation(int id) : id(id), payload(1 << 16, id) {}
    ~ParserImplementation() noexcept override {
        std::lock_guard<std::mutex> g(lock);
        destroyed.push_back(id);
    }
    bool parse(void const*, size_t, char const*) noexcept override { return false; }
    bool parseFromFile(char const*, int) noexcept override { return false; }
    bool supportsOperator(char const*) const noexcept override { return false; }
    int getNbErrors() const noexcept override { return id; }
    void const* getError(int) const noexcept override { return nullptr; }
    void clearErrors() noexcept override {}
    char const* const* getUsedVCPluginLibraries(long& n) const noexcept override { n = 0; return nullptr; }
    void setFlags(unsigned) noexcept override {}
private:
    int id;
    std::vector<int> payload;
};
}

extern "C" JNIEXPORT jlong JNICALL Java_dev_argus_tensorrt_NativeStandIn_create0(JNIEnv*, jclass, jint id) {
    InterfaceLike* p = new Implementation(id);
    return reinterpret_cast<jlong>(p);
}

extern "C" JNIEXPORT jlong JNICALL Java_dev_argus_tensorrt_NativeStandIn_createParserLike0(JNIEnv*, jclass, jint id) {
    ParserLike* p = new ParserImplementation(id);
    return reinterpret_cast<jlong>(p);
}

extern "C" JNIEXPORT jintArray JNICALL Java_dev_argus_tensorrt_NativeStandIn_destroyed(JNIEnv* env, jclass) {
    std::lock_guard<std::mutex> g(lock);
    jintArray out = env->NewIntArray(static_cast<jsize>(destroyed.size()));
    env->SetIntArrayRegion(out, 0, static_cast<jsize>(destroyed.size()), reinterpret_cast<const jint*>(destroyed.data()));
    return out;
}
