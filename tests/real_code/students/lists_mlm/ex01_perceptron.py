# Perceptron from scratch with plain Python lists (row loops, weights as a list).

def add_bias(X):
    # every row gets its constant input; the bias weight is the last weight
    dataset = []
    for row in X:
        dataset.append([float(v) for v in row] + [1.0])
    return dataset


def predict(row, weights):
    activation = 0.0
    for i in range(len(row)):
        activation += weights[i] * row[i]
    return 1.0 if activation >= 0.0 else -1.0


def perceptron_predict(w, X):
    predictions = []
    for row in X:
        predictions.append(predict(row, w))
    return predictions


def perceptron_update(w, x, y, lr):
    weights = w
    prediction = predict(x, weights)
    error = y - prediction
    for i in range(len(weights)):
        weights[i] = weights[i] + lr * error * x[i]
    return weights


def train_perceptron(X, y, lr=1.0, epochs=100):
    weights = [0.0 for i in range(len(X[0]))]
    for epoch in range(epochs):
        sum_error = 0.0
        for row, expected in zip(X, y):
            prediction = predict(row, weights)
            error = expected - prediction
            sum_error += error ** 2
            for i in range(len(weights)):
                weights[i] = weights[i] + lr * error * row[i]
        print('>epoch=%d, lrate=%.3f, error=%.3f' % (epoch, lr, sum_error))
        if sum_error == 0.0:
            break
    return weights
