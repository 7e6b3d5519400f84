import torch


def sigmoid(z):
    return torch.sigmoid(torch.as_tensor(z)).numpy()


def dense_forward(X, W, b):
    return (torch.tensor(X) @ torch.tensor(W) + torch.tensor(b)).numpy()


def mlp_forward(X, params):
    h = torch.sigmoid(torch.tensor(X) @ torch.tensor(params["W1"]) + torch.tensor(params["b1"]))
    out = torch.sigmoid(h @ torch.tensor(params["W2"]) + torch.tensor(params["b2"]))
    return out.numpy(), {"h": h.numpy()}


def xor_params():
    return {"W1": torch.tensor([[5., -7.], [5., -7.]]).numpy(), "b1": torch.tensor([-8., 3.]).numpy(),
            "W2": torch.tensor([[-11.], [-11.]]).numpy(), "b2": torch.tensor([6.]).numpy()}
