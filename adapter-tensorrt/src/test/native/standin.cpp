// A stand-in for a TensorRT object, for TrtOwnershipTest: the same shape as nvinfer1's interfaces (a base whose only
// virtual member is a protected destructor, an interface deriving from it, an implementation class hidden behind it),
// recording which objects were destroyed, in order.
#include <jni.h>
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
}

extern "C" JNIEXPORT jlong JNICALL Java_dev_argus_tensorrt_NativeStandIn_create0(JNIEnv*, jclass, jint id) {
    InterfaceLike* p = new Implementation(id);
    return reinterpret_cast<jlong>(p);
}

extern "C" JNIEXPORT jintArray JNICALL Java_dev_argus_tensorrt_NativeStandIn_destroyed(JNIEnv* env, jclass) {
    std::lock_guard<std::mutex> g(lock);
    jintArray out = env->NewIntArray(static_cast<jsize>(destroyed.size()));
    env->SetIntArrayRegion(out, 0, static_cast<jsize>(destroyed.size()), reinterpret_cast<const jint*>(destroyed.data()));
    return out;
}
